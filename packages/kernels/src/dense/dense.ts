import { Conv2d, type Conv2dOptions } from '../conv/conv2d.ts';
import type { EpilogueOptions } from '../conv/layer.ts';
import type { KernelContext } from '../core/context.ts';
import { KernelError, fmtShape } from '../core/errors.ts';
import type { Tensor } from '../core/tensor.ts';

/** Bias, activation, leaky slope, PReLU slopes and clamp bounds as in Conv2dOptions. */
export interface DenseOptions extends Omit<EpilogueOptions, 'beta'> {
  label?: string;
}

/**
 * A fully connected layer, y = act(x · W + b) over the last axis: x [N,H,W,K] → y [N,H,W,M] (a matrix
 * [B, K] is the tensor [B,1,1,K]). A TF Dense/MatMul kernel [K, M] row-major is exactly an HWIO 1×1
 * convolution kernel [1,1,K,M], so this is Conv2d with a 1×1 kernel: one mechanism, one set of tuned
 * blockings, and the fused epilogue for free.
 */
export class Dense {
  private constructor(
    private readonly conv: Conv2d,
    readonly inFeatures: number,
    readonly outFeatures: number,
    private readonly label: string,
  ) {}

  static create(
    ctx: KernelContext,
    weights: Float32Array,
    shape: [number, number],
    opts: DenseOptions = {},
  ): Dense {
    const label = opts.label ?? 'dense';
    const [k, m] = shape;
    if (shape.length !== 2 || !Number.isInteger(k) || !Number.isInteger(m) || k <= 0 || m <= 0) {
      throw new KernelError(label, `weight shape ${fmtShape(shape)} must be [K, M] positive integers`);
    }
    if (weights.length !== k * m) {
      throw new KernelError(label, `${weights.length} weights do not fill shape ${fmtShape(shape)}`);
    }
    const convOpts: Conv2dOptions = { ...opts, label, padding: 'valid' };
    return new Dense(Conv2d.create(ctx, weights, [1, 1, k, m], convOpts), k, m, label);
  }

  run(x: Tensor): Tensor {
    if (x.c !== this.inFeatures) {
      throw new KernelError(
        this.label,
        `input ${fmtShape(x.shape)} has ${x.c} features, weights [${this.inFeatures}, ${this.outFeatures}] expect ${this.inFeatures}`,
      );
    }
    return this.conv.run(x);
  }

  dispose(): void {
    this.conv.dispose();
  }
}
