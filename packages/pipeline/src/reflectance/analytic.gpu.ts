import { gaussianBlur, KernelContext, Tensor } from '@avatarme/kernels';
import { analyticReflectance, analyticShadingPass, detailNormals } from './analytic.ts';
import { padIslands } from './edge-pad.ts';

/** One layout's inputs to the backend, as flat arrays (h × w texels). */
interface LayoutArrays {
  tex: Float32Array;
  ratio: Float32Array;
  mask: Float32Array;
  specular: Float32Array;
  w: number;
  h: number;
}

function uploadLayout(ctx: KernelContext, a: LayoutArrays) {
  const shape = (c: number): [number, number, number, number] => [1, a.h, a.w, c];
  return {
    texture: Tensor.fromArray(ctx, a.tex, shape(3)),
    ratio: Tensor.fromArray(ctx, a.ratio, shape(3)),
    mask: Tensor.fromArray(ctx, a.mask, shape(1)),
    specular: Tensor.fromArray(ctx, a.specular, shape(1)),
  };
}

export async function runShadingPass(device: GPUDevice, a: LayoutArrays) {
  const ctx = new KernelContext(device);
  const r = analyticShadingPass(ctx, uploadLayout(ctx, a), { outsideSpecular: 0.1 });
  const out = {
    albedo: await r.diffuseAlbedo.read(),
    specular: await r.specularAlbedo.read(),
    luminance: await r.luminance.read(),
  };
  ctx.dispose();
  return out;
}

export async function runDetailNormals(
  device: GPUDevice,
  a: { lum: Float32Array; blurred: Float32Array; w: number; h: number; strength: number },
) {
  const ctx = new KernelContext(device);
  const lum = Tensor.fromArray(ctx, a.lum, [1, a.h, a.w, 1]);
  const blurred = Tensor.fromArray(ctx, a.blurred, [1, a.h, a.w, 1]);
  const out = await detailNormals(ctx, lum, blurred, a.strength).read();
  ctx.dispose();
  return out;
}

/** The whole backend on one layout: the albedo and specular maps as a renderer samples them. */
export async function runAnalytic(device: GPUDevice, a: LayoutArrays) {
  const ctx = new KernelContext(device);
  const maps = analyticReflectance(
    ctx,
    {
      ...uploadLayout(ctx, a),
      mmPerTexel: 1,
      skinLuminance: 0.3,
    },
    (c, x, o) => gaussianBlur(c, x, o),
  );
  const out = { albedo: await maps.diffuseAlbedo.read(), specular: await maps.specularAlbedo.read() };
  ctx.dispose();
  return out;
}

/** padIslands on one map: [h·w·c] values, [h·w] mask. */
export async function runPadIslands(
  device: GPUDevice,
  a: { values: Float32Array; mask: Float32Array; w: number; h: number; c: number; rings?: number },
) {
  const ctx = new KernelContext(device);
  const x = Tensor.fromArray(ctx, a.values, [1, a.h, a.w, a.c]);
  const mask = Tensor.fromArray(ctx, a.mask, [1, a.h, a.w, 1]);
  const liveBefore = ctx.pool.stats().liveBuffers;
  const padded = padIslands(ctx, x, mask, a.rings);
  const out = await padded.read();
  padded.dispose();
  const leaked = ctx.pool.stats().liveBuffers - liveBefore;
  ctx.dispose();
  return { out, leaked };
}
