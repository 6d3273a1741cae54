import type { KernelContext } from '../core/context.ts';
import type { Program, UniformValue } from '../core/program.ts';
import { Tensor } from '../core/tensor.ts';

/**
 * The two passes of a separable image filter whose WGSL reads `src`, writes `dst` and takes its
 * uniforms `u` per axis: along x (axis 0), then along y on that result. Returns a new tensor shaped
 * like x; `count` is the invocations of one pass.
 */
export function runSeparable(
  ctx: KernelContext,
  program: Program,
  x: Tensor,
  count: number,
  uniforms: (axis: 0 | 1) => Record<string, UniformValue>,
): Tensor {
  const pass = (src: Tensor, axis: 0 | 1): Tensor => {
    const dst = Tensor.empty(ctx, x.shape, program.label);
    ctx.dispatchFlat(program, { src, dst, u: uniforms(axis) }, count);
    return dst;
  };
  const horizontal = pass(x, 0);
  const out = pass(horizontal, 1);
  // Safe to pool now: the queue runs the second pass (which reads it) before any later reuse.
  horizontal.dispose();
  return out;
}
