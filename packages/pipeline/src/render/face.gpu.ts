// Page half of face.test.ts: the rasteriser on the face mesh, and unwrap + re-render on a synthetic photo.
import { KernelContext, rasterize, Tensor, Triangles } from '@avatarme/kernels';
import {
  descriptorSimilarity,
  detectFaces,
  faceDescriptor,
  faceLandmarks,
  FaceModels,
  uploadFaceImage,
} from '../face/index.ts';
import { fitFace, type Landmarks } from '../fit/face-fit.ts';
import { decodeImage, encodePng, rgbFloatToRgba } from '../image/codec.ts';
import { faceMeshSurface } from '../surface/facemesh.ts';
import { unwrapSurface } from '../unwrap/unwrap.ts';
import { renderOverlay } from './overlay.ts';
import { composite, encodeVectors } from './quality.ts';
import { renderSurface } from './render.ts';

export async function rasterMesh(
  device: GPUDevice,
  c: { pos: Float32Array; tris: Uint32Array; width: number; height: number },
): Promise<Float32Array> {
  const ctx = new KernelContext(device);
  const pos = Tensor.fromArray(ctx, c.pos, [c.pos.length / 4, 1, 1, 4], 'pos');
  const tris = Triangles.create(ctx, c.tris, c.pos.length / 4);
  const rast = rasterize(ctx, pos, tris, { width: c.width, height: c.height });
  const out = await rast.read();
  for (const t of [pos, rast, tris]) t.dispose();
  ctx.dispose();
  return out;
}

export interface SyntheticCase {
  landmarks: Landmarks;
  width: number;
  height: number;
  /** Ground-truth UV texture [S·S·3]. */
  truth: Float32Array;
  uvSize: number;
  background: [number, number, number];
}

/**
 * Renders the fitted face with a known texture into a synthetic photo, then unwraps that photo and
 * re-renders it: what comes back must match what went in wherever the photo saw the surface.
 */
export async function syntheticRoundTrip(device: GPUDevice, c: SyntheticCase) {
  const ctx = new KernelContext(device);
  const fit = fitFace(c.landmarks, { width: c.width, height: c.height });
  const surface = faceMeshSurface(fit);
  const shot = await renderSurface(ctx, surface, {
    texture: c.truth,
    source: new Uint8Array(c.uvSize * c.uvSize).fill(1),
    size: c.uvSize,
  });
  const background = new Float32Array(c.width * c.height * 3).map((_, i) => c.background[i % 3]);
  const photoRgb = composite(background, shot.textured, shot.coverage);
  const photo = Tensor.fromArray(ctx, photoRgb, [1, c.height, c.width, 3], 'photo');
  // Geometry only: the synthetic texture is no skin, so occluder masking would reject all of it.
  const uv = await unwrapSurface(ctx, photo, surface, { uvSize: c.uvSize, maskOccluders: false });
  const overlay = await renderOverlay(ctx, { tensor: photo, width: c.width, height: c.height }, surface, uv);
  overlay.rerender.tensor.dispose();
  photo.dispose();
  const live = ctx.pool.stats().liveBuffers;
  ctx.dispose();
  const s = c.uvSize;
  const layout = Float32Array.from(uv.source, (v) => (v > 0 ? 1 : 0));
  const pngs = {
    photo: await encodePng(rgbFloatToRgba(photoRgb, c.width, c.height)),
    texture: await encodePng(rgbFloatToRgba(uv.texture, s, s)),
    observed: await encodePng(rgbFloatToRgba(uv.observed, s, s)),
    normals: await encodePng(rgbFloatToRgba(encodeVectors(uv.normalMap, layout), s, s)),
    overlay: await encodePng(overlay.overlay),
  };
  return {
    texture: uv.texture,
    observed: uv.observed,
    confidence: uv.confidence,
    source: uv.source,
    positionMap: uv.positionMap,
    stats: uv.stats,
    psnr: overlay.psnr,
    visiblePixels: overlay.visiblePixels,
    lightingRms: overlay.lighting.rms,
    reprojection: fit.reprojection,
    liveBuffers: live,
    pngs,
  };
}

/** The real thing on a photo: detect → landmarks → fit → unwrap → re-render, with the quality figures. */
export async function photoEndToEnd(
  device: GPUDevice,
  a: { bytes: Uint8Array; name: string; uvSize: number },
) {
  const image = await decodeImage(a.bytes, a.name);
  const ctx = new KernelContext(device);
  const models = new FaceModels(ctx);
  const photo = uploadFaceImage(ctx, image);
  try {
    const t0 = performance.now();
    const [face] = await detectFaces(models, photo);
    const marks = await faceLandmarks(models, photo, face);
    const t1 = performance.now();
    const fit = fitFace(marks.landmarks, image);
    const surface = faceMeshSurface(fit);
    const uv = await unwrapSurface(ctx, photo.tensor, surface, { uvSize: a.uvSize });
    const t2 = performance.now();
    const overlay = await renderOverlay(ctx, photo, surface, uv);
    const t3 = performance.now();
    const identity = descriptorSimilarity(
      await faceDescriptor(models, photo, face),
      await faceDescriptor(models, overlay.rerender, face),
    );
    const rerenderRgb = await overlay.rerender.tensor.read();
    overlay.rerender.tensor.dispose();
    const s = uv.size;
    const layout = Float32Array.from(uv.source, (v) => (v > 0 ? 1 : 0));
    const grey = (m: Float32Array) =>
      Float32Array.from({ length: m.length * 3 }, (_, i) => m[Math.floor(i / 3)]);
    const sourceRgb = Float32Array.from({ length: s * s * 3 }, (_, i) => {
      const palette = [
        [0, 0, 0],
        [0.2, 0.8, 0.2],
        [0.2, 0.4, 1],
        [1, 0.3, 0.2],
      ];
      return palette[uv.source[Math.floor(i / 3)]][i % 3];
    });
    const pngs = {
      'uv-texture': await encodePng(rgbFloatToRgba(uv.texture, s, s)),
      'uv-observed': await encodePng(rgbFloatToRgba(uv.observed, s, s)),
      'uv-visibility': await encodePng(rgbFloatToRgba(grey(uv.confidence), s, s)),
      'uv-source': await encodePng(rgbFloatToRgba(sourceRgb, s, s)),
      'uv-normals': await encodePng(rgbFloatToRgba(encodeVectors(uv.normalMap, layout), s, s)),
      'uv-positions': await encodePng(rgbFloatToRgba(encodeVectors(uv.positionMap, layout, 10), s, s)),
      overlay: await encodePng(overlay.overlay),
      rerender: await encodePng(rgbFloatToRgba(rerenderRgb, image.width, image.height)),
    };
    return {
      landmarks: marks.landmarks,
      angles: fit.angles,
      scale: fit.camera.scale,
      reprojection: fit.reprojection,
      rigidResidual: fit.rigidResidual,
      stats: uv.stats,
      psnr: overlay.psnr,
      visiblePixels: overlay.visiblePixels,
      lightingRms: overlay.lighting.rms,
      lightingSamples: overlay.lighting.samples,
      identity,
      ms: { landmarks: t1 - t0, fitAndUnwrap: t2 - t1, render: t3 - t2 },
      pngs,
    };
  } finally {
    photo.tensor.dispose();
    await models.dispose();
    ctx.dispose();
  }
}
