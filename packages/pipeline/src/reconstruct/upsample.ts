import {
  accumulateTile,
  binary,
  normalizeTiles,
  planTiles,
  slice,
  Tensor,
  type KernelContext,
  type TileWindow,
} from '@avatarme/kernels';
import { EsrganNet } from '@avatarme/nets/esrgan/esrgan.ts';
import type { ReconstructOptions } from './types.ts';

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
