import type { KernelContext } from '../core/context.ts';
import { KernelError, fmtShape } from '../core/errors.ts';
import { Tensor } from '../core/tensor.ts';
import brdfLutSource from './brdf-lut.wgsl?raw';
import equirectMipSource from './equirect-mip.wgsl?raw';
import prefilterSource from './prefilter.wgsl?raw';
import shProjectSource from './sh-project.wgsl?raw';
import shSumSource from './sh-sum.wgsl?raw';

function checkEquirect(op: string, env: Tensor): void {
  env.assertAlive(op);
  const [n, h, w, c] = env.shape;
  if (n !== 1 || c !== 4 || w !== 2 * h)
    throw new KernelError(
      op,
      `expects an equirectangular map [1, H, 2H, 4] (rgb + unused), got ${fmtShape(env.shape)}`,
    );
}

/**
 * Radiance SH coefficients L_k (k = 0..8, bands 0–2, real SH in the order y, z, x, xy, yz, 3z²−1,
 * xz, x²−y²) of an equirectangular map [1, H, 2H, 4]; returns [1, 1, 9, 4] (rgb, 0). Irradiance for
 * normal n is Σ Â_l · L_k · Y_k(n) with Â = (π, 2π/3, π/4) (Ramamoorthi & Hanrahan 2001).
 */
export function shProject(ctx: KernelContext, env: Tensor): Tensor {
  const op = 'shProject';
  checkEquirect(op, env);
  const [, h, w] = env.shape;
  const rows = Tensor.empty(ctx, [1, h, 9, 4], `${op}.rows`);
  ctx.dispatch(ctx.program(op, shProjectSource), { env, rows, u: { h, w } }, [Math.ceil(h / 64), 1, 1]);
  const sh = Tensor.empty(ctx, [1, 1, 9, 4], op);
  ctx.dispatch(ctx.program(`${op}.sum`, shSumSource), { rows, sh, u: { h, pad0: 0 } }, [1, 1, 1]);
  rows.dispose();
  return sh;
}

export interface PrefilterOptions {
  /** Roughness levels; level l has perceptual roughness l / (levels − 1). Default 6. */
  levels?: number;
  /** Output height per level (width = 2·height). Default 32. */
  height?: number;
  /** GGX samples per texel. Default 128. */
  samples?: number;
}

/** Heights of an equirectangular map's mip levels: H, H/2, … down to 1 (rounded down); widths are twice. */
export function equirectMipHeights(h: number): number[] {
  const heights = [h];
  while (heights[heights.length - 1] > 1) heights.push(Math.max(heights[heights.length - 1] >> 1, 1));
  return heights;
}

/**
 * The mip chain of an equirectangular map [1, H, 2H, 4], all levels in one tensor [1, 1, Σ 2·H_k², 4],
 * level 0 (the map itself) first; each coarser texel is the solid-angle-weighted mean of the finer
 * texels it covers (equirect-mip.wgsl).
 */
export function equirectMips(ctx: KernelContext, env: Tensor): Tensor {
  const op = 'equirectMips';
  checkEquirect(op, env);
  const heights = equirectMipHeights(env.shape[1]);
  const offsets = heights.map((_, k) => heights.slice(0, k).reduce((s, h) => s + 2 * h * h, 0));
  const total = offsets[heights.length - 1] + 2;
  const mips = Tensor.empty(ctx, [1, 1, total, 4], op);
  ctx.commandEncoder.copyBufferToBuffer(env.buffer, 0, mips.buffer, 0, 2 * heights[0] ** 2 * 16);
  const program = ctx.program(op, equirectMipSource);
  for (let k = 1; k < heights.length; k++) {
    const [sh, dh] = [heights[k - 1], heights[k]];
    ctx.dispatch(
      program,
      {
        mips,
        u: {
          src_off: offsets[k - 1],
          src_h: sh,
          src_w: 2 * sh,
          dst_off: offsets[k],
          dst_h: dh,
          dst_w: 2 * dh,
        },
      },
      [Math.ceil((2 * dh) / 8), Math.ceil(dh / 8), 1],
    );
  }
  return mips;
}

/**
 * GGX-prefiltered radiance of an equirectangular map for the split-sum approximation: [levels, h, 2h, 4].
 * Samples read the map's mip chain at the level that matches their solid angle (filtered importance
 * sampling), so small bright lights do not alias into per-texel spikes.
 */
export function prefilterSpecular(ctx: KernelContext, env: Tensor, o: PrefilterOptions = {}): Tensor {
  const op = 'prefilterSpecular';
  checkEquirect(op, env);
  const levels = o.levels ?? 6;
  const h = o.height ?? 32;
  const samples = o.samples ?? 128;
  for (const [name, v, max] of [
    ['levels', levels, 16],
    ['height', h, 1024],
    ['samples', samples, 4096],
  ] as const)
    if (!Number.isInteger(v) || v < 1 || v > max)
      throw new KernelError(op, `${name} ${v} must be an integer in [1, ${max}]`);
  const w = 2 * h;
  const mips = equirectMips(ctx, env);
  const out = Tensor.empty(ctx, [levels, h, w, 4], op);
  ctx.dispatch(
    ctx.program(op, prefilterSource),
    {
      mips,
      out,
      u: {
        src_h: env.shape[1],
        src_w: env.shape[2],
        h,
        w,
        levels,
        samples,
        mip_count: equirectMipHeights(env.shape[1]).length,
        pad0: 0,
      },
    },
    [Math.ceil(w / 8), Math.ceil(h / 8), levels],
  );
  mips.dispose();
  return out;
}

/** The split-sum BRDF table [1, size, size, 4]: x = n·v, y = perceptual roughness, rg = (A, B). */
export function brdfLut(ctx: KernelContext, o: { size?: number; samples?: number } = {}): Tensor {
  const op = 'brdfLut';
  const size = o.size ?? 32;
  const samples = o.samples ?? 256;
  if (!Number.isInteger(size) || size < 1 || size > 1024)
    throw new KernelError(op, `size ${size} must be an integer in [1, 1024]`);
  if (!Number.isInteger(samples) || samples < 1 || samples > 65536)
    throw new KernelError(op, `samples ${samples} must be an integer in [1, 65536]`);
  const lut = Tensor.empty(ctx, [1, size, size, 4], op);
  ctx.dispatch(ctx.program(op, brdfLutSource), { lut, u: { size, samples } }, [
    Math.ceil(size / 8),
    Math.ceil(size / 8),
    1,
  ]);
  return lut;
}
