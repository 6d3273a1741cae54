/**
 * Page side of the reflectance networks' training data: a procedural subject photographed under a
 * training environment, reconstructed by the product's own stages, and returned as the pair the
 * networks learn: what inference sees (the completed UV texture, the shape normals, the visibility)
 * and the subject's true maps on the same head atlas.
 */
import type { KernelContext } from '@avatarme/kernels';
import type { RgbaImage } from '@avatarme/pipeline/image/codec.ts';
import { reconstruct } from '@avatarme/pipeline/reconstruct/reconstruct.ts';
import { decodeRgbe } from '@avatarme/pipeline/skin-render/hdr.ts';
import { IblEnvironment } from '@avatarme/pipeline/skin-render/ibl-environment.ts';
import { readSubjectGlb, writeSubjectGlb } from '../../eval/gltf.ts';
import { cachedReader, headModel, photographUnder, sharedContext } from '../../eval/page/eval.gpu.ts';
import { generateSubject } from '../../eval/subject.ts';
import type { Pose } from '../../eval/views.ts';
import bridgeUrl from '../hdri/bridge.hdr?url';
import dawnUrl from '../hdri/dawn.hdr?url';
import hallUrl from '../hdri/hall.hdr?url';
import parkUrl from '../hdri/park.hdr?url';
import warehouseUrl from '../hdri/warehouse.hdr?url';
import workshopUrl from '../hdri/workshop.hdr?url';

/** CC0 environments no evaluation photo or relighting uses (hdri/README.md). */
const TRAINING_ENVIRONMENT_URLS = {
  bridge: bridgeUrl,
  dawn: dawnUrl,
  hall: hallUrl,
  park: parkUrl,
  warehouse: warehouseUrl,
  workshop: workshopUrl,
} as const;
export type TrainingEnvironment = keyof typeof TRAINING_ENVIRONMENT_URLS;

const environments = new Map<string, Promise<IblEnvironment>>();
function trainingEnvironment(ctx: KernelContext, name: TrainingEnvironment): Promise<IblEnvironment> {
  let e = environments.get(name);
  if (!e) {
    e = fetch(TRAINING_ENVIRONMENT_URLS[name])
      .then((r) => r.arrayBuffer())
      .then((b) => IblEnvironment.create(ctx, decodeRgbe(new Uint8Array(b), `${name}.hdr`), name));
    environments.set(name, e);
  }
  return e;
}

export interface SampleArgs {
  modelUrl: string;
  subjectSeed: number;
  ita: number;
  melanin: number;
  /** Side of the subject's own maps (the truth is box-averaged from it down to uvSize). */
  texture: number;
  photos: {
    seed: number;
    pose: Pose;
    environment: TrainingEnvironment;
    lightDirection?: [number, number, number];
  }[];
  photoSize: number;
  uvSize: number;
}

/**
 * Planes of one sample, uvSize² each, float32, in this order: texture RGB, shape normals RGB (encoded
 * n·0.5 + 0.5, as the networks read them), visibility, then the truth: diffuse albedo RGB (sRGB),
 * specular albedo, diffuse normals RGB, specular normals RGB (encoded).
 */
export const SAMPLE_PLANES = 17;

/** Box average of the first `channels` channels of an 8-bit image down to size² (size divides its side). */
function boxDown(img: RgbaImage, size: number, channels: number, into: Float32Array, plane: number): void {
  const k = img.width / size;
  if (!Number.isInteger(k) || img.height !== img.width)
    throw new Error(`training data: a ${img.width}×${img.height} map does not box-average to ${size}²`);
  for (let c = 0; c < channels; c++)
    for (let y = 0; y < size; y++)
      for (let x = 0; x < size; x++) {
        let s = 0;
        for (let dy = 0; dy < k; dy++)
          for (let dx = 0; dx < k; dx++) s += img.data[4 * ((y * k + dy) * img.width + x * k + dx) + c];
        into[(plane + c) * size * size + y * size + x] = s / (k * k * 255);
      }
}

export async function trainingSamples(
  device: GPUDevice,
  a: SampleArgs,
): Promise<{ samples: { planes: Uint8Array; failed?: string }[]; seconds: Record<string, number> }> {
  const { ctx } = sharedContext(device);
  const t0 = performance.now();
  const model = await headModel(a.modelUrl);
  const generated = generateSubject(model, {
    seed: a.subjectSeed,
    ita: a.ita,
    melanin: a.melanin,
    size: a.texture,
  });
  const subject = await readSubjectGlb(await writeSubjectGlb(generated), `train-${a.subjectSeed}.glb`);
  const seconds: Record<string, number> = { subject: (performance.now() - t0) / 1000 };
  const n = a.uvSize;
  const truth = new Float32Array(10 * n * n);
  boxDown(subject.maps.diffuseAlbedo, n, 3, truth, 0);
  boxDown(subject.maps.specularAlbedo, n, 1, truth, 3);
  boxDown(subject.maps.diffuseNormals, n, 3, truth, 4);
  boxDown(subject.maps.specularNormals, n, 3, truth, 7);
  const samples: { planes: Uint8Array; failed?: string }[] = [];
  for (const [i, p] of a.photos.entries()) {
    const t = performance.now();
    const environment = await trainingEnvironment(ctx, p.environment);
    const photo = await photographUnder(ctx, subject, p.pose, a.photoSize, p.seed, environment, {
      direction: p.lightDirection,
    });
    try {
      const r = await reconstruct(device, photo, {
        uvSize: n,
        faceModel: cachedReader(a.modelUrl),
        name: `train-${a.subjectSeed}-${i}`,
        renders: false,
      });
      const planes = new Float32Array(SAMPLE_PLANES * n * n);
      boxDown(r.maps.uvTexture, n, 3, planes, 0);
      boxDown(r.maps.shapeNormals, n, 3, planes, 3);
      boxDown(r.maps.visibility, n, 1, planes, 6);
      planes.set(truth, 7 * n * n);
      samples.push({ planes: new Uint8Array(planes.buffer) });
    } catch (e) {
      samples.push({ planes: new Uint8Array(0), failed: (e as Error).message.split('\n')[0] });
    }
    seconds[`photo${i}`] = (performance.now() - t) / 1000;
  }
  return { samples, seconds };
}
