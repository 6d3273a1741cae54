import type { KernelContext } from '../core/context.ts';
import { KernelError, fmtShape } from '../core/errors.ts';
import { Tensor } from '../core/tensor.ts';
import source from './transpose.wgsl?raw';

const OP = 'blendshapesTranspose';

/**
 * basisᵀ · grad: with basis [M, 1, 1, R] (mode-major, as Blendshapes holds it) and grad [1, 1, 1, R],
 * returns [1, 1, 1, M], the gradient w.r.t. the mode weights of a loss whose gradient w.r.t. the
 * blended rows is `grad` (the adjoint of blendshapes()).
 */
export function blendshapesTranspose(ctx: KernelContext, basis: Tensor, grad: Tensor): Tensor {
  for (const t of [basis, grad]) t.assertAlive(OP);
  const rows = basis.c;
  const modes = basis.n;
  if (basis.h !== 1 || basis.w !== 1 || grad.n * grad.h * grad.w !== 1 || grad.c !== rows) {
    throw new KernelError(
      OP,
      `basis ${fmtShape(basis.shape)} must be [modes, 1, 1, rows] and grad ${fmtShape(grad.shape)} [1, 1, 1, ${rows}]`,
    );
  }
  if (modes > 65535 * 65535) throw new KernelError(OP, `${modes} modes exceed the dispatch grid`);
  const out = Tensor.empty(ctx, [1, 1, 1, modes], OP);
  ctx.commandEncoder.clearBuffer(out.buffer, 0, out.byteLength);
  ctx.dispatch(ctx.program(OP, source), { basis, grad, dst: out, u: { rows4: basis.c4, modes } }, [
    Math.min(modes, 65535),
    Math.ceil(modes / 65535),
    1,
  ]);
  return out;
}
