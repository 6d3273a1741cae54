import type { KernelContext } from '../core/context.ts';
import { KernelError, fmtShape } from '../core/errors.ts';
import { Tensor } from '../core/tensor.ts';
import source from './backward.wgsl?raw';
import { planPool2d, type Pool2dOptions } from './pool.ts';

/**
 * dx of pool2d(x, o) given dy (of the pooled shape): average spreads dy over each window with the
 * forward's divisor; max sends it to the first tap holding the window's maximum, which needs x.
 */
export function pool2dBackward(ctx: KernelContext, x: Tensor, dy: Tensor, o: Pool2dOptions): Tensor {
  const op = `pool2dBackward.${o.mode}`;
  if (o.mode !== 'max' && o.mode !== 'avg')
    throw new KernelError('pool2dBackward', `unknown mode "${o.mode}"`);
  x.assertAlive(op);
  dy.assertAlive(op);
  const plan = planPool2d(x.shape, o);
  if (fmtShape(dy.shape) !== fmtShape(plan.outShape)) {
    throw new KernelError(
      op,
      `dy ${fmtShape(dy.shape)} is not the pooled shape ${fmtShape(plan.outShape)} of x ${fmtShape(x.shape)}`,
    );
  }
  const g = plan.geometry;
  const dx = Tensor.empty(ctx, x.shape, op);
  const count = dx.vec4Count;
  ctx.dispatchFlat(
    ctx.program('pool2dBackward', source, { MAX: o.mode === 'max' }),
    {
      x,
      dy,
      dx,
      u: {
        count,
        c4: x.c4,
        c: x.c,
        in_h: x.h,
        in_w: x.w,
        out_h: dy.h,
        out_w: dy.w,
        kh: g.kh,
        kw: g.kw,
        stride_y: g.strideY,
        stride_x: g.strideX,
        pad_top: plan.pads[0],
        pad_bottom: plan.pads[1],
        pad_left: plan.pads[2],
        pad_right: plan.pads[3],
        include_pad: plan.countIncludePad ? 1 : 0,
      },
    },
    count,
  );
  return dx;
}
