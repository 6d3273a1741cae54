import {
  accumulateTile,
  binary,
  normalizeTiles,
  planTiles,
  resize,
  slice,
  Tensor,
  type KernelContext,
  type TileWindow,
} from '@avatarme/kernels';
import { EsrganNet } from '@avatarme/nets/esrgan/esrgan.ts';
import type { ReconstructOptions } from '../reconstruct/types.ts';
import type { StageRunner } from './runner.ts';
import type { Unwrapped } from './unwrap.ts';

/** Low-resolution window side and overlap for ESRGAN when the caller gives none. */
export const UPSAMPLE_TILE = 64;
export const UPSAMPLE_OVERLAP = 8;
/** The upsampler: esrgan-slim, the fastest of the pretrained ×2/×4/×8 UpscalerJS models. */
export const UPSAMPLE_MODEL = 'esrgan-slim';

export interface Upsampled {
  texture: Tensor;
  tiles: TileWindow[];
  dispose(): void;
}

/**
 * Super-resolves the UV texture ([1, S, S, 3], [0, 1]) by `scale` with ESRGAN, window by window
 * (planTiles: constant window size, so one compiled graph serves every window) and blended with
 * raised-cosine feathers so no seam shows. Progress per window; cancellation between windows.
 */
export async function upsampleTexture(
  ctx: KernelContext,
  texture: Tensor,
  scale: number,
  options: Pick<ReconstructOptions, 'tile' | 'overlap' | 'assets' | 'signal'>,
  report: (fraction: number, message: string) => void,
): Promise<Upsampled> {
  const net = await EsrganNet.load(ctx, UPSAMPLE_MODEL, scale, {
    baseUrl: options.assets?.upscalerModels,
    signal: options.signal,
  });
  const [, h, w] = texture.shape;
  const tile = Math.min(options.tile ?? UPSAMPLE_TILE, Math.max(h, w));
  const overlap = Math.min(options.overlap ?? UPSAMPLE_OVERLAP, Math.floor(tile / 2));
  const windows = planTiles(h, w, tile, overlap);
  const [lo, hi] = net.info.inputRange;
  const [outLo, outHi] = net.info.outputRange;
  const acc = Tensor.empty(ctx, [1, h * scale, w * scale, 3], 'upsample.acc');
  const weights = Tensor.empty(ctx, [1, h * scale, w * scale, 1], 'upsample.weights');
  ctx.commandEncoder.clearBuffer(acc.buffer);
  ctx.commandEncoder.clearBuffer(weights.buffer);
  try {
    for (const [i, win] of windows.entries()) {
      report(i / windows.length, `window ${i + 1}/${windows.length} at (${win.x0}, ${win.y0})`);
      const crop = slice(ctx, texture, [0, win.y0, win.x0, 0], [1, win.h, win.w, 3]);
      const input = binary(ctx, 'mul', crop, hi - lo);
      const output = net.run(input);
      const pixels = binary(ctx, 'mul', output, 1 / (outHi - outLo));
      accumulateTile(ctx, acc, weights, pixels, {
        y0: win.y0 * scale,
        x0: win.x0 * scale,
        feather: {
          top: win.feather.top * scale,
          bottom: win.feather.bottom * scale,
          left: win.feather.left * scale,
          right: win.feather.right * scale,
        },
      });
      for (const t of [crop, input, output, pixels]) t.dispose();
      // One window per submission keeps the page responsive and lets a cancel stop here.
      await ctx.finish();
    }
    const blended = normalizeTiles(ctx, acc, weights);
    const clamped = binary(ctx, 'max', blended, 0);
    const result = binary(ctx, 'min', clamped, 1);
    blended.dispose();
    clamped.dispose();
    return { texture: result, tiles: windows, dispose: () => result.dispose() };
  } finally {
    acc.dispose();
    weights.dispose();
    net.dispose();
  }
}

/** The maps the reflectance stage works on, all at the upsampled size. */
export interface MapInputs {
  size: number;
  /** [1, N, N, 3] texture, model-space shape normals, [1, N, N, 1] layout coverage. */
  texture: Tensor;
  normals: Tensor;
  mask: Tensor;
  tiles: TileWindow[];
  dispose(): void;
}

/**
 * ESRGAN ×upscale of the UV texture (off at 1, and when the unwrap stage super-resolved the photo
 * instead); the shape normals and coverage resized to match.
 */
export async function upsampleStage(
  ctx: KernelContext,
  uv: Unwrapped,
  options: ReconstructOptions,
  run: StageRunner,
): Promise<MapInputs> {
  const upscale = options.upscale ?? 1;
  if (upscale === 1 || uv.superResolved)
    return {
      size: uv.texture.h,
      texture: uv.texture,
      normals: uv.normals,
      mask: uv.coverage,
      tiles: [],
      dispose() {},
    };
  const up = await upsampleTexture(ctx, uv.texture, upscale, options, (f, m) => run.report(f, m));
  const size = up.texture.h;
  const toSize = (t: Tensor) =>
    resize(ctx, t, { height: size, width: size, mode: 'bilinear', coordinates: 'half-pixel' });
  const normals = toSize(uv.normals);
  const mask = toSize(uv.coverage);
  return {
    size,
    texture: up.texture,
    normals,
    mask,
    tiles: up.tiles,
    dispose: () => {
      up.dispose();
      normals.dispose();
      mask.dispose();
    },
  };
}
