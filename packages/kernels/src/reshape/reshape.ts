import type { KernelContext } from '../core/context.ts';
import { KernelError, fmtShape } from '../core/errors.ts';
import { Tensor, type Shape4 } from '../core/tensor.ts';
import reshapeSource from './reshape.wgsl?raw';
import sliceSource from './slice.wgsl?raw';

/** Resolves one -1 entry and checks the element count is unchanged. */
export function resolveReshape(from: readonly number[], to: readonly number[]): Shape4 {
  const total = from.reduce((p, q) => p * q, 1);
  const known = to.filter((d) => d !== -1).reduce((p, q) => p * q, 1);
  const unknown = to.filter((d) => d === -1).length;
  const bad = () =>
    new KernelError('reshape', `cannot reshape ${fmtShape(from)} (${total} elements) to ${fmtShape(to)}`);
  if (to.length !== 4 || unknown > 1 || to.some((d) => d !== -1 && (!Number.isInteger(d) || d <= 0))) {
    throw bad();
  }
  const shape = to.map((d) => (d === -1 ? total / known : d)) as Shape4;
  if (shape.some((d) => !Number.isInteger(d) || d <= 0) || shape.reduce((p, q) => p * q, 1) !== total) {
    throw bad();
  }
  return shape;
}

/**
 * Row-major NHWC reshape (like tf.reshape on an NHWC tensor). One entry may be -1. The vec4 channel
 * padding makes a change of channel count a real gather; the same channel count is a buffer copy.
 */
export function reshape(ctx: KernelContext, x: Tensor, shape: [number, number, number, number]): Tensor {
  x.assertAlive('reshape');
  const to = resolveReshape(x.shape, shape);
  const y = Tensor.empty(ctx, to, 'reshape');
  if (to[3] === x.c) {
    ctx.commandEncoder.copyBufferToBuffer(x.buffer, 0, y.buffer, 0, x.byteLength);
    return y;
  }
  const count = y.vec4Count;
  ctx.dispatchFlat(
    ctx.program('reshape', reshapeSource),
    {
      x,
      y,
      u: { count, in_c: x.c, in_c4: x.c4, out_c: y.c, out_c4: y.c4 },
    },
    count,
  );
  return y;
}

/** Checks a slice and resolves size -1 ("to the end", as in tf.slice). */
export function resolveSlice(
  shape: readonly number[],
  begin: readonly number[],
  size: readonly number[],
): Shape4 {
  const out = size.map((s, i) => (s === -1 ? shape[i] - begin[i] : s));
  const ok =
    begin.length === 4 &&
    size.length === 4 &&
    out.every(
      (s, i) =>
        Number.isInteger(s) &&
        Number.isInteger(begin[i]) &&
        begin[i] >= 0 &&
        s > 0 &&
        begin[i] + s <= shape[i],
    );
  if (!ok) {
    throw new KernelError(
      'slice',
      `begin ${fmtShape(begin)} size ${fmtShape(size)} is not inside input ${fmtShape(shape)}`,
    );
  }
  return out as Shape4;
}

/** y = x[begin : begin + size] along all four axes; size -1 means to the end of that axis. */
export function slice(
  ctx: KernelContext,
  x: Tensor,
  begin: [number, number, number, number],
  size: [number, number, number, number],
): Tensor {
  x.assertAlive('slice');
  const outShape = resolveSlice(x.shape, begin, size);
  const y = Tensor.empty(ctx, outShape, 'slice');
  const count = y.vec4Count;
  ctx.dispatchFlat(
    ctx.program('slice', sliceSource),
    {
      x,
      y,
      u: {
        count,
        out_h: y.h,
        out_w: y.w,
        out_c: y.c,
        out_c4: y.c4,
        in_h: x.h,
        in_w: x.w,
        in_c4: x.c4,
        begin: [...begin],
      },
    },
    count,
  );
  return y;
}
