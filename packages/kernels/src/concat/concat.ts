import type { KernelContext } from '../core/context.ts';
import { KernelError, fmtShape } from '../core/errors.ts';
import { Tensor } from '../core/tensor.ts';
import source from './concat.wgsl?raw';

/** Concatenates along channels; inputs share N, H and W and may have any channel counts. */
export function concat(ctx: KernelContext, tensors: Tensor[]): Tensor {
  const op = 'concat';
  if (tensors.length === 0) throw new KernelError(op, 'needs at least one tensor');
  for (const t of tensors) t.assertAlive(op);
  const [n, h, w] = tensors[0].shape;
  if (tensors.some((t) => t.n !== n || t.h !== h || t.w !== w)) {
    throw new KernelError(
      op,
      `inputs ${tensors.map((t) => fmtShape(t.shape)).join(', ')} differ in N, H or W; only channels may differ`,
    );
  }
  const outC = tensors.reduce((s, t) => s + t.c, 0);
  const y = Tensor.empty(ctx, [n, h, w, outC], op);
  const program = ctx.program(op, source);
  const pixels = n * h * w;
  let off = 0;
  for (const t of tensors) {
    const g0 = Math.floor(off / 4);
    const groups = Math.ceil((off + t.c) / 4) - g0;
    const count = pixels * groups;
    ctx.dispatchFlat(
      program,
      {
        x: t,
        y,
        u: {
          count,
          groups,
          g0,
          off,
          in_c: t.c,
          in_c4: t.c4,
          out_c4: y.c4,
        },
      },
      count,
    );
    off += t.c;
  }
  return y;
}
