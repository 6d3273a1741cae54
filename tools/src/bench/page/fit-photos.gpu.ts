/**
 * Page side of fit-photos.ts: eval-style photos of procedural subjects (the eval's renderer, HDR
 * light, noise and JPEG) and FaceMesh's 468 landmarks on them, so the landmark fit can be tuned and
 * checked in Node on subjects the evaluation never draws.
 */
import { decodeImage, detectFaces, faceLandmarks, uploadFaceImage } from '@avatarme/pipeline';
import { fetchModelReader, loadMorphableModel } from '@avatarme/pipeline/morphable/load.ts';
import { decodeRgbe } from '@avatarme/pipeline/skin-render/hdr.ts';
import { IblEnvironment } from '@avatarme/pipeline/skin-render/ibl-environment.ts';
import { readSubjectGlb, writeSubjectGlb } from '../../eval/gltf.ts';
import forestUrl from '../../eval/hdri/forest.hdr?url';
import lobbyUrl from '../../eval/hdri/lobby.hdr?url';
import sunsetUrl from '../../eval/hdri/sunset.hdr?url';
import { photographUnder, sharedContext } from '../../eval/page/eval.gpu.ts';
import { generateSubject } from '../../eval/subject.ts';
import type { Pose } from '../../eval/views.ts';

export interface FitPhoto {
  seed: number;
  pose: Pose;
  /** FaceMesh's 468 [x, y, z] in photo pixels; null where no face was found. */
  landmarks: [number, number, number][] | null;
}

export async function fitPhotos(
  device: GPUDevice,
  a: { modelUrl: string; seeds: number[]; poses: Pose[]; size: number },
): Promise<FitPhoto[]> {
  const { ctx, faces } = sharedContext(device);
  const model = await loadMorphableModel(fetchModelReader(a.modelUrl));
  const environments: IblEnvironment[] = [];
  for (const [name, url] of [
    ['forest', forestUrl],
    ['lobby', lobbyUrl],
    ['sunset', sunsetUrl],
  ]) {
    const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
    environments.push(await IblEnvironment.create(ctx, decodeRgbe(bytes, `${name}.hdr`), name));
  }
  const out: FitPhoto[] = [];
  try {
    for (const seed of a.seeds) {
      const s = generateSubject(model, {
        seed,
        ita: 40 - (seed % 5) * 20,
        melanin: 0.01 + (seed % 5) * 0.03,
        size: 256,
      });
      const subject = await readSubjectGlb(await writeSubjectGlb(s), s.name);
      for (const pose of a.poses) {
        const env = environments[(seed + pose.yaw) % 3];
        const jpg = await photographUnder(ctx, subject, pose, a.size, seed * 7 + pose.yaw, env);
        const photo = uploadFaceImage(ctx, await decodeImage(jpg, s.name));
        try {
          const found = await detectFaces(faces, photo);
          const mesh = found.length ? await faceLandmarks(faces, photo, found[0]) : undefined;
          out.push({ seed, pose, landmarks: mesh ? mesh.landmarks : null });
        } finally {
          photo.tensor.dispose();
        }
      }
    }
  } finally {
    for (const e of environments) e.dispose();
  }
  return out;
}
