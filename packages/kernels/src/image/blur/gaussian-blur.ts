import type { KernelContext } from '../../core/context.ts';
import { KernelError, fmtShape } from '../../core/errors.ts';
import type { Tensor } from '../../core/tensor.ts';
import { runSeparable } from '../separable.ts';
import source from './gaussian-blur.wgsl?raw';

export interface GaussianBlurOptions {
  sigma: number;
  /** Taps each side; default ceil(3σ). */
  radius?: number;
  /** 'replicate' (default, like PyTorch's replicate padding) or 'reflect' (mirror, edge not repeated). */
  border?: 'replicate' | 'reflect';
}

/** The radius used when none is given: ceil(3σ). */
export function defaultBlurRadius(sigma: number): number {
  return Math.ceil(3 * sigma);
}

/** Separable Gaussian blur (normalised weights), two passes; returns a new tensor. */
export function gaussianBlur(ctx: KernelContext, x: Tensor, o: GaussianBlurOptions): Tensor {
  const op = 'gaussianBlur';
  x.assertAlive(op);
  const border = o.border ?? 'replicate';
  if (!(Number.isFinite(o.sigma) && o.sigma > 0))
    throw new KernelError(op, `sigma ${o.sigma} must be positive`);
  const radius = o.radius ?? defaultBlurRadius(o.sigma);
  if (!Number.isInteger(radius) || radius < 0 || radius > 4096) {
    throw new KernelError(
      op,
      `radius ${radius} must be an integer in [0, 4096] (input ${fmtShape(x.shape)})`,
    );
  }
  if (border !== 'replicate' && border !== 'reflect') throw new KernelError(op, `unknown border "${border}"`);
  const program = ctx.program(op, source);
  const [, h, w] = x.shape;
  const count = x.vec4Count;
  return runSeparable(ctx, program, x, count, (axis) => ({
    h,
    w,
    c4: x.c4,
    count,
    dy: axis,
    dx: 1 - axis,
    radius,
    border: border === 'replicate' ? 0 : 1,
    inv_two_sigma2: 1 / (2 * o.sigma * o.sigma),
  }));
}
