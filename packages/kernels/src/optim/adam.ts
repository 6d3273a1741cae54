import type { KernelContext } from '../core/context.ts';
import { KernelError, fmtShape } from '../core/errors.ts';
import { Tensor } from '../core/tensor.ts';
import source from './adam.wgsl?raw';
import { ADAM_DEFAULTS, type AdamHyper } from './reference.ts';

/**
 * Adam over one flat parameter tensor [1, 1, 1, N] that lives on the GPU: `step(grad)` updates the
 * parameters in place from a gradient tensor of the same shape. `lr` is one learning rate per
 * parameter (parameter groups of different scales share one optimiser); `setLearningRates` changes
 * them between steps (coarse-to-fine schedules) without resetting the moments.
 */
export class Adam {
  private t = 0;
  private disposed = false;

  private constructor(
    private readonly ctx: KernelContext,
    readonly params: Tensor,
    private readonly m: Tensor,
    private readonly v: Tensor,
    private lr: Tensor,
    private readonly hyper: AdamHyper,
  ) {}

  static create(ctx: KernelContext, params: Tensor, lr: Float32Array, hyper: Partial<AdamHyper> = {}): Adam {
    params.assertAlive('Adam');
    const n = params.c;
    if (params.n !== 1 || params.h !== 1 || params.w !== 1 || lr.length !== n) {
      throw new KernelError(
        'Adam',
        `parameters ${fmtShape(params.shape)} must be [1, 1, 1, N] with ${lr.length} learning rates (one per parameter)`,
      );
    }
    const zeros = () => {
      const t = Tensor.empty(ctx, [1, 1, 1, n], 'adam.moment');
      ctx.commandEncoder.clearBuffer(t.buffer, 0, t.byteLength);
      return t;
    };
    const lrT = Tensor.fromArray(ctx, lr, [1, 1, 1, n], 'adam.lr');
    return new Adam(ctx, params, zeros(), zeros(), lrT, { ...ADAM_DEFAULTS, ...hyper });
  }

  get steps(): number {
    return this.t;
  }

  setLearningRates(lr: Float32Array): void {
    if (lr.length !== this.params.c) {
      throw new KernelError('Adam', `${lr.length} learning rates for ${this.params.c} parameters`);
    }
    this.lr.dispose();
    this.lr = Tensor.fromArray(this.ctx, lr, [1, 1, 1, this.params.c], 'adam.lr');
  }

  step(grad: Tensor): void {
    if (this.disposed) throw new KernelError('Adam', 'step() after dispose()');
    grad.assertAlive('Adam');
    if (grad.c !== this.params.c || grad.n * grad.h * grad.w !== 1) {
      throw new KernelError(
        'Adam',
        `gradient ${fmtShape(grad.shape)} must match the parameters ${fmtShape(this.params.shape)}`,
      );
    }
    this.t++;
    const { beta1, beta2, eps } = this.hyper;
    this.ctx.dispatchFlat(
      this.ctx.program('adam', source),
      {
        param: this.params,
        grad,
        m: this.m,
        v: this.v,
        lr: this.lr,
        u: { count: this.params.c, beta1, beta2, eps, bc1: 1 - beta1 ** this.t, bc2: 1 - beta2 ** this.t },
      },
      this.params.c,
    );
  }

  /** Frees the moments and learning rates (the parameters belong to the caller). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const t of [this.m, this.v, this.lr]) t.dispose();
  }
}
