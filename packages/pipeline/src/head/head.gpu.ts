// Page half of head.test.ts: detect → landmarks → fit the ICT head → unwrap onto the head atlas.
import { KernelContext, Tensor } from '@avatarme/kernels';
import type { Pose } from '../morphable/pose.ts';
import { composite } from '../render/quality.ts';
import { detectFaces, faceLandmarks, FaceModels, uploadFaceImage } from '../face/index.ts';
import { decodeImage, encodePng, rgbFloatToRgba } from '../image/codec.ts';
import { loadMorphableModel } from '../morphable/load.ts';
import { renderOverlay } from '../render/overlay.ts';
import { renderSurface } from '../render/render.ts';
import { headSurface } from '../surface/head.ts';
import { highFrequencyEnergy } from '../unwrap/completion-figures.ts';
import { unwrapSurface } from '../unwrap/unwrap.ts';
import { fitHeadToPhoto, headGeometry } from './fit.ts';

/** Colours of the texel-source map: outside, observed, mirrored, push-pull band, tone fill. */
const SOURCE_COLOURS = [
  [0, 0, 0],
  [0.2, 0.8, 0.2],
  [0.2, 0.4, 1],
  [1, 0.6, 0.1],
  [0.8, 0.2, 0.2],
];

/**
 * The forehead on the atlas: texels between 0.5 and 4.5 cm above the higher brow, within 4 cm of the
 * midline, facing forward (model space: y up, z towards the viewer).
 */
function foreheadTexels(positions: Float32Array, normals: Float32Array, browY: number): Uint8Array {
  return Uint8Array.from({ length: positions.length / 3 }, (_, i) => {
    const [x, y] = [positions[3 * i], positions[3 * i + 1]];
    return normals[3 * i + 2] > 0.5 && y > browY + 0.5 && y < browY + 4.5 && Math.abs(x) < 4 ? 1 : 0;
  });
}

/** Detect → FaceMesh landmarks (a page call of its own: on a busy SwiftShader it takes minutes). */
export async function photoLandmarks(device: GPUDevice, a: { bytes: Uint8Array; name: string }) {
  const image = await decodeImage(a.bytes, a.name);
  const ctx = new KernelContext(device);
  const models = new FaceModels(ctx);
  const photo = uploadFaceImage(ctx, image);
  try {
    const t0 = performance.now();
    const [face] = await detectFaces(models, photo);
    const marks = await faceLandmarks(models, photo, face);
    return { landmarks: marks.landmarks, ms: performance.now() - t0 };
  } finally {
    photo.tensor.dispose();
    await models.dispose();
    ctx.dispose();
  }
}

/** The ICT head on the photo: fit to the landmarks, unwrap, re-render; figures and PNGs. */
export async function headEndToEnd(
  device: GPUDevice,
  a: {
    bytes: Uint8Array;
    name: string;
    modelUrl: string;
    uvSize: number;
    landmarks: [number, number, number][];
  },
) {
  const t1 = performance.now();
  const model = await loadMorphableModel(a.modelUrl);
  const image = await decodeImage(a.bytes, a.name);
  const ctx = new KernelContext(device);
  const photo = uploadFaceImage(ctx, image);
  try {
    const t2 = performance.now();
    const liveBefore = ctx.pool.stats().liveBuffers;
    const fit = await fitHeadToPhoto(ctx, model, a.landmarks, image);
    const surface = headSurface(fit, model);
    const t3 = performance.now();
    const uv = await unwrapSurface(ctx, photo.tensor, surface, { uvSize: a.uvSize });
    const t4 = performance.now();
    const unmasked = await unwrapSurface(ctx, photo.tensor, surface, {
      uvSize: a.uvSize,
      maskOccluders: false,
    });
    const brow = (l: number) => fit.topology.sourceVertex.indexOf(model.landmarks[l]);
    const browY = Math.max(...[19, 24].map((l) => fit.mesh.positions[3 * brow(l) + 1]));
    const forehead = foreheadTexels(uv.positionMap, uv.normalMap, browY);
    const overlay = await renderOverlay(ctx, photo, surface, uv);
    const rerender = await overlay.rerender.tensor.read();
    overlay.rerender.tensor.dispose();
    const mesh = surface.exportMesh;
    const s = uv.size;
    // The source map tells the tone fill (far from anything seen) from the push-pull band.
    const kind = (i: number) => (uv.filledMask[i] ? 4 : uv.source[i]);
    const sourceRgb = Float32Array.from(
      { length: s * s * 3 },
      (_, i) => SOURCE_COLOURS[kind(Math.floor(i / 3))][i % 3],
    );
    // Landmarks (green) and where the fitted head puts them (red) on the overlay.
    const marked = Float32Array.from(
      overlay.overlay.data.filter((_, i) => i % 4 !== 3),
      (v) => v / 255,
    );
    const dot = (x: number, y: number, rgb: number[]) => {
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) {
          const [px, py] = [Math.round(x) + dx, Math.round(y) + dy];
          if (px >= 0 && py >= 0 && px < image.width && py < image.height)
            marked.set(rgb, 3 * (py * image.width + px));
        }
    };
    for (let i = 0; i < 68; i++) {
      dot(fit.landmarks68[2 * i], fit.landmarks68[2 * i + 1], [0, 1, 0]);
      dot(fit.projected68[2 * i], fit.projected68[2 * i + 1], [1, 0, 0]);
    }
    const pngs = {
      'uv-texture': await encodePng(rgbFloatToRgba(uv.texture, s, s)),
      'uv-observed': await encodePng(rgbFloatToRgba(uv.observed, s, s)),
      'uv-source': await encodePng(rgbFloatToRgba(sourceRgb, s, s)),
      overlay: await encodePng(rgbFloatToRgba(marked, image.width, image.height)),
      rerender: await encodePng(rgbFloatToRgba(rerender, image.width, image.height)),
    };
    const leaked = ctx.pool.stats().liveBuffers - liveBefore;
    return {
      forehead: {
        texels: forehead.reduce((n, f) => n + f, 0),
        occludedShare:
          forehead.reduce((n, f, i) => n + f * uv.occluded[i], 0) /
          Math.max(
            1,
            forehead.reduce((n, f) => n + f, 0),
          ),
        highFrequency: highFrequencyEnergy(uv.texture, forehead, uv.size),
        highFrequencyUnmasked: highFrequencyEnergy(unmasked.texture, forehead, uv.size),
      },
      // The back of the head (facing away, never seen) against the seen cheeks, nose and chin.
      grain: {
        backOfHead: highFrequencyEnergy(
          uv.texture,
          Uint8Array.from({ length: uv.size ** 2 }, (_, i) => (uv.normalMap[3 * i + 2] < -0.5 ? 1 : 0)),
          uv.size,
        ),
        seenSkin: highFrequencyEnergy(
          uv.texture,
          Uint8Array.from(uv.skinConfidence, (c) => (c > 0 ? 1 : 0)),
          uv.size,
        ),
      },
      quality: fit.quality,
      identity: Array.from(fit.identity),
      expression: Array.from(fit.expression),
      angles: fit.angles,
      scale: fit.camera.scale,
      stats: uv.stats,
      skinTone: uv.skinTone,
      skinTexels: uv.skinConfidence.reduce((n, c) => n + (c > 0 ? 1 : 0), 0),
      psnr: overlay.psnr,
      visiblePixels: overlay.visiblePixels,
      lightingRms: overlay.lighting.rms,
      mesh: {
        vertices: mesh.positions.length / 3,
        triangles: mesh.triangles.length / 3,
        metresPerUnit: mesh.metresPerUnit,
        uvMin: mesh.uvs.reduce((m, x) => Math.min(m, x), Infinity),
        uvMax: mesh.uvs.reduce((m, x) => Math.max(m, x), -Infinity),
      },
      leaked,
      ms: {
        load: t2 - t1,
        fit: t3 - t2,
        unwrap: t4 - t3,
        render: performance.now() - t4,
      },
      pngs,
    };
  } finally {
    photo.tensor.dispose();
    ctx.dispose();
  }
}

export interface RoundTripCase {
  modelUrl: string;
  width: number;
  height: number;
  pose: Pose;
  identity: Float32Array;
  expression: Float32Array;
  /** Ground-truth atlas texture [S·S·3]. */
  truth: Float32Array;
  uvSize: number;
  background: [number, number, number];
}

/**
 * Renders the head with a known texture into a synthetic photo (flat shading: SH with only the
 * constant term, so the photo shows the texture itself), then unwraps that photo onto the atlas.
 */
export async function headRoundTrip(device: GPUDevice, c: RoundTripCase) {
  const model = await loadMorphableModel(c.modelUrl);
  const ctx = new KernelContext(device);
  const head = await headGeometry(ctx, model, c, { width: c.width, height: c.height });
  const surface = headSurface(head, model);
  const s = c.uvSize;
  const shot = await renderSurface(ctx, surface, {
    texture: c.truth,
    source: new Uint8Array(s * s).fill(1),
    size: s,
  });
  const background = new Float32Array(c.width * c.height * 3).map((_, i) => c.background[i % 3]);
  const photoRgb = composite(background, shot.textured, shot.coverage);
  const photo = Tensor.fromArray(ctx, photoRgb, [1, c.height, c.width, 3], 'photo');
  // Geometry only: the synthetic texture is no skin, so occluder masking would reject all of it.
  const uv = await unwrapSurface(ctx, photo, surface, { uvSize: s, maskOccluders: false });
  photo.dispose();
  const live = ctx.pool.stats().liveBuffers;
  ctx.dispose();
  const kind = (i: number) => (uv.filledMask[i] ? 4 : uv.source[i]);
  const sourceRgb = Float32Array.from(
    { length: s * s * 3 },
    (_, i) => SOURCE_COLOURS[kind(Math.floor(i / 3))][i % 3],
  );
  return {
    texture: uv.texture,
    observed: uv.observed,
    source: uv.source,
    stats: uv.stats,
    liveBuffers: live,
    pngs: {
      photo: await encodePng(rgbFloatToRgba(photoRgb, c.width, c.height)),
      'uv-texture': await encodePng(rgbFloatToRgba(uv.texture, s, s)),
      'uv-source': await encodePng(rgbFloatToRgba(sourceRgb, s, s)),
    },
  };
}
