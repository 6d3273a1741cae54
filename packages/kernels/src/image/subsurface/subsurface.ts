import type { KernelContext } from '../../core/context.ts';
import { KernelError, fmtShape } from '../../core/errors.ts';
import type { Tensor } from '../../core/tensor.ts';
import { runSeparable } from '../separable.ts';
import source from './subsurface.wgsl?raw';

export interface SubsurfaceBlurOptions {
  /** σ of the Gaussian scattering profile on the surface, millimetres. */
  widthMm: number;
  /**
   * Focal length in pixels along x and y: a lateral offset δ at depth d lands focal · δ / d pixels
   * away (for a perspective projection P, focal = P₀₀ · width / 2 and P₁₁ · height / 2).
   */
  focalPx: [number, number];
  /** Most taps each side of a pixel; wider kernels space them out. Default 32. */
  maxTaps?: number;
}

/**
 * Depth-aware separable subsurface blur of a [N, H, W, 4] image of (radiance rgb, view depth in mm;
 * 0 = no surface): a Gaussian profile of σ = widthMm on the surface, sized per pixel by its depth and
 * weighted by each tap's 3-D distance, so light does not bleed across depth discontinuities
 * (subsurface.wgsl). Returns a new tensor of (blurred rgb, depth).
 */
export function subsurfaceBlur(ctx: KernelContext, x: Tensor, o: SubsurfaceBlurOptions): Tensor {
  const op = 'subsurfaceBlur';
  x.assertAlive(op);
  const [n, h, w, c] = x.shape;
  if (c !== 4)
    throw new KernelError(op, `expects [N, H, W, 4] (rgb + depth in mm), got ${fmtShape(x.shape)}`);
  if (!(Number.isFinite(o.widthMm) && o.widthMm > 0))
    throw new KernelError(op, `widthMm ${o.widthMm} must be positive`);
  if (!o.focalPx.every((f) => Number.isFinite(f) && f > 0))
    throw new KernelError(op, `focalPx [${o.focalPx.join(', ')}] must be positive`);
  const maxTaps = o.maxTaps ?? 32;
  if (!Number.isInteger(maxTaps) || maxTaps < 1 || maxTaps > 256)
    throw new KernelError(op, `maxTaps ${maxTaps} must be an integer in [1, 256]`);
  const program = ctx.program(op, source);
  const count = n * h * w;
  return runSeparable(ctx, program, x, count, (axis) => ({
    h,
    w,
    count,
    axis,
    width_mm: o.widthMm,
    focal: o.focalPx[axis],
    max_taps: maxTaps,
    pad0: 0,
  }));
}
