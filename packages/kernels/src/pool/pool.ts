import { convOutputSize, pair, resolvePadding, type ConvGeometry } from '../conv/geometry.ts';
import type { Padding } from '../core/types.ts';
import type { KernelContext } from '../core/context.ts';
import { KernelError, fmtShape } from '../core/errors.ts';
import { Tensor, type Shape4 } from '../core/tensor.ts';
import commonSource from './common.wgsl?raw';
import source from './pool.wgsl?raw';

export interface Pool2dOptions {
  mode: 'max' | 'avg';
  kernel: number | [number, number];
  /** Default: the kernel size (PyTorch's default). */
  stride?: number | [number, number];
  padding?: Padding;
  /**
   * Average pooling only: divide by the whole window (true, PyTorch's default) or by the taps inside
   * the image (false). Defaults to true, except for padding 'same', which follows TF (false).
   */
  countIncludePad?: boolean;
}

export interface PoolPlan {
  geometry: ConvGeometry;
  /** [top, bottom, left, right] */
  pads: [number, number, number, number];
  outShape: Shape4;
  countIncludePad: boolean;
}

/** Output shape, padding and divisor rule of a pooling (pure). */
export function planPool2d(shape: readonly number[], o: Pool2dOptions): PoolPlan {
  const op = `pool2d.${o.mode}`;
  const [kh, kw] = pair(o.kernel, 1);
  const [sy, sx] = pair(o.stride ?? o.kernel, 1);
  if (![kh, kw, sy, sx].every((v) => Number.isInteger(v) && v > 0)) {
    throw new KernelError(
      op,
      `kernel ${JSON.stringify(o.kernel)} and stride ${JSON.stringify(o.stride)} must be positive integers`,
    );
  }
  const geometry: ConvGeometry = { kh, kw, strideY: sy, strideX: sx, dilationY: 1, dilationX: 1 };
  const [n, h, w, c] = shape;
  const padding = o.padding ?? 'valid';
  const pads = resolvePadding(padding, h, w, geometry);
  if (pads.some((p) => !Number.isInteger(p) || p < 0)) {
    throw new KernelError(op, `padding ${JSON.stringify(padding)} must be non-negative integers`);
  }
  if (pads[0] >= kh || pads[1] >= kh || pads[2] >= kw || pads[3] >= kw) {
    // A window made only of padding has no value (PyTorch requires padding ≤ kernel / 2).
    throw new KernelError(
      op,
      `padding [${pads.join(', ')}] must be smaller than the ${kh}×${kw} kernel (input ${fmtShape(shape)})`,
    );
  }
  const [oh, ow] = convOutputSize(op, h, w, pads, geometry);
  return {
    geometry,
    pads,
    outShape: [n, oh, ow, c],
    countIncludePad: o.countIncludePad ?? padding !== 'same',
  };
}

/** The includes of pool.wgsl and backward.wgsl, for KernelContext.program. */
export const POOL_INCLUDES = { 'pool-common': commonSource };

/**
 * What pool2d and pool2dBackward (`kernel`) both check and compute: the mode, x alive, the plan, and
 * common.wgsl's Params for `count` vec4 groups written.
 */
export function poolSetup(kernel: string, x: Tensor, o: Pool2dOptions) {
  if (o.mode !== 'max' && o.mode !== 'avg') throw new KernelError(kernel, `unknown mode "${o.mode}"`);
  const op = `${kernel}.${o.mode}`;
  x.assertAlive(op);
  const plan = planPool2d(x.shape, o);
  const g = plan.geometry;
  const params = (count: number) => ({
    count,
    c4: x.c4,
    c: x.c,
    in_h: x.h,
    in_w: x.w,
    out_h: plan.outShape[1],
    out_w: plan.outShape[2],
    kh: g.kh,
    kw: g.kw,
    stride_y: g.strideY,
    stride_x: g.strideX,
    pad_top: plan.pads[0],
    pad_bottom: plan.pads[1],
    pad_left: plan.pads[2],
    pad_right: plan.pads[3],
    include_pad: plan.countIncludePad ? 1 : 0,
  });
  return { op, plan, params };
}

/** Max or average pooling over H and W (see Pool2dOptions for the padding and divisor rules). */
export function pool2d(ctx: KernelContext, x: Tensor, o: Pool2dOptions): Tensor {
  const { op, plan, params } = poolSetup('pool2d', x, o);
  const y = Tensor.empty(ctx, plan.outShape, op);
  const count = y.vec4Count;
  ctx.dispatchFlat(
    ctx.program('pool2d', source, { MAX: o.mode === 'max' }, POOL_INCLUDES),
    { x, y, u: params(count) },
    count,
  );
  return y;
}
