import type { KernelContext } from '../core/context.ts';
import { KernelError, fmtShape } from '../core/errors.ts';
import { Tensor } from '../core/tensor.ts';
import source from './backward.wgsl?raw';
import { POOL_INCLUDES, poolSetup, type Pool2dOptions } from './pool.ts';

/**
 * dx of pool2d(x, o) given dy (of the pooled shape): average spreads dy over each window with the
 * forward's divisor; max sends it to the first tap holding the window's maximum, which needs x.
 */
export function pool2dBackward(ctx: KernelContext, x: Tensor, dy: Tensor, o: Pool2dOptions): Tensor {
  const { op, plan, params } = poolSetup('pool2dBackward', x, o);
  dy.assertAlive(op);
  if (fmtShape(dy.shape) !== fmtShape(plan.outShape)) {
    throw new KernelError(
      op,
      `dy ${fmtShape(dy.shape)} is not the pooled shape ${fmtShape(plan.outShape)} of x ${fmtShape(x.shape)}`,
    );
  }
  const dx = Tensor.empty(ctx, x.shape, op);
  const count = dx.vec4Count;
  ctx.dispatchFlat(
    ctx.program('pool2dBackward', source, { MAX: o.mode === 'max' }, POOL_INCLUDES),
    { x, dy, dx, u: params(count) },
    count,
  );
  return dx;
}
