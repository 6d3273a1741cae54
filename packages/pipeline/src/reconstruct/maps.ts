import { readRgba8, tensorToRgba8, type KernelContext, type Tensor } from '@avatarme/kernels';
import type { RgbaImage } from '../image/codec.ts';

/** A map tensor as an 8-bit image: value·scale + bias, clamped and rounded (1 channel → grey). tensorToRgba8 hands out a pooled buffer: it goes back to the pool. */
export async function tensorToImage(
  ctx: KernelContext,
  t: Tensor,
  scale = 255,
  bias = 0,
): Promise<RgbaImage> {
  const packed = tensorToRgba8(ctx, t, { scale, bias });
  try {
    const data = await readRgba8(ctx, packed, t.w, t.h);
    return { width: t.w, height: t.h, data };
  } finally {
    ctx.pool.release(packed);
  }
}
