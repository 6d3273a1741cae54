import type { KernelContext } from '../core/context.ts';
import { KernelError, fmtShape } from '../core/errors.ts';
import { Tensor } from '../core/tensor.ts';
import source from './blendshapes.wgsl?raw';

const OP = 'blendshapes';

/**
 * neutral [1, 1, 1, R] + Σ_m weights[m] · basis[m] with basis [M, 1, 1, R] and weights [1, 1, 1, M]:
 * a matrix–vector product over R rows (vertices·3) and M modes, in one dispatch. Returns a new
 * tensor [1, 1, 1, R].
 */
export function blendshapes(ctx: KernelContext, neutral: Tensor, basis: Tensor, weights: Tensor): Tensor {
  for (const t of [neutral, basis, weights]) t.assertAlive(OP);
  const rows = neutral.c;
  const modes = basis.n;
  if (neutral.n !== 1 || neutral.h !== 1 || neutral.w !== 1) {
    throw new KernelError(OP, `neutral ${fmtShape(neutral.shape)} must be [1, 1, 1, rows]`);
  }
  if (basis.h !== 1 || basis.w !== 1 || basis.c !== rows) {
    throw new KernelError(
      OP,
      `basis ${fmtShape(basis.shape)} must be [modes, 1, 1, ${rows}] to match neutral ${fmtShape(neutral.shape)}`,
    );
  }
  if (weights.n !== 1 || weights.h !== 1 || weights.w !== 1 || weights.c !== modes) {
    throw new KernelError(
      OP,
      `weights ${fmtShape(weights.shape)} must be [1, 1, 1, ${modes}] for basis ${fmtShape(basis.shape)}`,
    );
  }
  ctx.checkBindingSize(OP, 'basis', basis.shape, basis.byteLength);
  const out = Tensor.empty(ctx, [1, 1, 1, rows], OP);
  const rows4 = neutral.c4;
  ctx.dispatchFlat(
    ctx.program(OP, source),
    {
      neutral,
      basis,
      weights,
      dst: out,
      u: { rows4, modes, tail_lanes: rows - (rows4 - 1) * 4 },
    },
    rows4,
  );
  return out;
}

/**
 * A morphable shape's neutral and modes resident on the GPU: upload once, then evaluate any number of
 * weight vectors. `basis` is mode-major [modes, rows] (rows = vertices·3), as the ICT .f32 files are.
 */
export class Blendshapes {
  private disposed = false;

  private constructor(
    private readonly ctx: KernelContext,
    readonly neutral: Tensor,
    readonly basis: Tensor,
  ) {}

  get rows(): number {
    return this.neutral.c;
  }
  get modes(): number {
    return this.basis.n;
  }

  static create(ctx: KernelContext, neutral: Float32Array, basis: Float32Array, label = OP): Blendshapes {
    const rows = neutral.length;
    if (rows === 0 || basis.length === 0 || basis.length % rows !== 0) {
      throw new KernelError(
        label,
        `basis of ${basis.length} values is not a whole number of modes of ${rows} rows (neutral)`,
      );
    }
    const modes = basis.length / rows;
    ctx.checkBindingSize(label, 'basis', [modes, 1, 1, rows], Tensor.byteLengthOf([modes, 1, 1, rows]));
    const n = Tensor.fromArray(ctx, neutral, [1, 1, 1, rows], `${label}.neutral`);
    const b = Tensor.fromArray(ctx, basis, [modes, 1, 1, rows], `${label}.basis`);
    return new Blendshapes(ctx, n, b);
  }

  /**
   * Vertices for one weight vector, as a new tensor [1, 1, 1, rows]. A Float32Array is uploaded
   * through a copy recorded in the context's encoder, so its pooled buffer can be released at once.
   */
  run(weights: Float32Array | Tensor): Tensor {
    if (this.disposed) throw new KernelError(OP, 'run() after dispose()');
    if (weights instanceof Tensor) return blendshapes(this.ctx, this.neutral, this.basis, weights);
    if (weights.length !== this.modes) {
      throw new KernelError(OP, `got ${weights.length} weights for ${this.modes} modes`);
    }
    const w = Tensor.fromArray(this.ctx, weights, [1, 1, 1, this.modes], `${OP}.weights`);
    const out = blendshapes(this.ctx, this.neutral, this.basis, w);
    w.dispose();
    return out;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.neutral.dispose();
    this.basis.dispose();
  }
}
