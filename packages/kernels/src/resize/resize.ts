import type { KernelContext } from '../core/context.ts';
import { KernelError, fmtShape } from '../core/errors.ts';
import { Tensor } from '../core/tensor.ts';
import { linearAxisMap, nearestAxisMap, type CoordinateMode } from './coordinates.ts';
import source from './resize.wgsl?raw';

export type { CoordinateMode } from './coordinates.ts';
export type ResizeMode = 'nearest' | 'bilinear' | 'bicubic';

const MODE_CODE: Record<ResizeMode, number> = { nearest: 0, bilinear: 1, bicubic: 2 };

export interface ResizeOptions {
  height: number;
  width: number;
  mode: ResizeMode;
  /** Default 'asymmetric' (TF.js defaults); PyTorch align_corners=False is 'half-pixel'. See coordinates.ts. */
  coordinates?: CoordinateMode;
  /**
   * Keys cubic parameter: −0.75 (default) is PyTorch's bicubic; −0.5 is TF1's resize_bicubic
   * (with half-pixel centres). Taps outside the image are clamped to the border in both.
   */
  cubicA?: number;
  label?: string;
}

/** Resizes H and W of an NHWC tensor; returns a new tensor. */
export function resize(ctx: KernelContext, x: Tensor, o: ResizeOptions): Tensor {
  const label = o.label ?? 'resize';
  x.assertAlive(label);
  const coordinates = o.coordinates ?? 'asymmetric';
  if (!(o.mode in MODE_CODE)) throw new KernelError(label, `unknown mode "${o.mode}"`);
  if (!['asymmetric', 'half-pixel', 'align-corners'].includes(coordinates)) {
    throw new KernelError(label, `unknown coordinates "${coordinates}"`);
  }
  if (![o.height, o.width].every((d) => Number.isInteger(d) && d > 0)) {
    throw new KernelError(label, `output size ${o.height}×${o.width} must be positive integers`);
  }
  const [n, h, w, c] = x.shape;
  // Index math (d·a + b) runs in i32: keep it below 2^31.
  if (2 * Math.max(o.height * h, o.width * w) + Math.max(h, w) >= 2 ** 31) {
    throw new KernelError(
      label,
      `input ${fmtShape(x.shape)} → ${o.height}×${o.width} overflows i32 index math`,
    );
  }
  const axisMap = o.mode === 'nearest' ? nearestAxisMap : linearAxisMap;
  const my = axisMap(h, o.height, coordinates);
  const mx = axisMap(w, o.width, coordinates);
  const out = Tensor.empty(ctx, [n, o.height, o.width, c], label);
  const count = out.vec4Count;
  ctx.dispatchFlat(
    ctx.program('resize', source, { MODE: MODE_CODE[o.mode] }),
    {
      src: x,
      dst: out,
      u: {
        in_h: h,
        in_w: w,
        out_h: o.height,
        out_w: o.width,
        c4: x.c4,
        count,
        ay: my.a,
        by: my.b,
        dy: my.den,
        ax: mx.a,
        bx: mx.b,
        dx: mx.den,
        cubic_a: o.cubicA ?? -0.75,
      },
    },
    count,
  );
  return out;
}

/** Keras UpSampling2D(size=factor, interpolation='nearest'): every pixel repeated factor × factor times. */
export function upsampleNearest(ctx: KernelContext, x: Tensor, factor: number): Tensor {
  if (!Number.isInteger(factor) || factor < 1) {
    throw new KernelError('upsampleNearest', `factor ${factor} must be a positive integer`);
  }
  return resize(ctx, x, {
    height: x.h * factor,
    width: x.w * factor,
    mode: 'nearest',
    coordinates: 'asymmetric',
    label: 'upsampleNearest',
  });
}
