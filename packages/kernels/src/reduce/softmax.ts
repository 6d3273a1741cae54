import type { KernelContext } from '../core/context.ts';
import { Tensor } from '../core/tensor.ts';
import source from './softmax.wgsl?raw';

/** Softmax over the channels of every pixel (numerically stable: the pixel's maximum is subtracted). */
export function softmax(ctx: KernelContext, x: Tensor): Tensor {
  x.assertAlive('softmax');
  const y = Tensor.empty(ctx, x.shape, 'softmax');
  const pixels = x.n * x.h * x.w;
  ctx.dispatchFlat(ctx.program('softmax', source), { x, y, u: { pixels, c4: x.c4, c: x.c } }, pixels);
  return y;
}
