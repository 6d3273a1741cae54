import type { KernelContext } from '../core/context.ts';
import { KernelError, fmtShape } from '../core/errors.ts';
import { Tensor, type Shape4 } from '../core/tensor.ts';
import source from './mean-backward.wgsl?raw';

/** dx of globalMean(x) given dy [N, 1, 1, C]: dy / (H·W) at every pixel of x's shape. */
export function globalMeanBackward(ctx: KernelContext, dy: Tensor, xShape: Shape4): Tensor {
  const op = 'globalMeanBackward';
  dy.assertAlive(op);
  const [n, h, w, c] = xShape;
  if (fmtShape(dy.shape) !== fmtShape([n, 1, 1, c])) {
    throw new KernelError(
      op,
      `dy ${fmtShape(dy.shape)} is not the mean [${n}, 1, 1, ${c}] of x ${fmtShape(xShape)}`,
    );
  }
  const dx = Tensor.empty(ctx, xShape, op);
  const count = dx.vec4Count;
  ctx.dispatchFlat(
    ctx.program(op, source),
    { dy, dx, u: { count, h, w, c4: dx.c4, c, inv_hw: 1 / (h * w) } },
    count,
  );
  return dx;
}
