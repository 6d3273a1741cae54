import type { KernelContext } from '../core/context.ts';
import { KernelError, fmtShape } from '../core/errors.ts';
import { Tensor } from '../core/tensor.ts';
import {
  COORDINATE_MODES,
  NEAREST_ROUNDINGS,
  linearAxisMap,
  nearestAxisMap,
  scaleRatio,
  type AxisMap,
  type CoordinateMode,
  type NearestRounding,
} from './coordinates.ts';
import source from './resize.wgsl?raw';

export type { CoordinateMode, NearestRounding } from './coordinates.ts';
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
  /** Nearest only: how the source coordinate rounds to a pixel (default: the convention's, see coordinates.ts). */
  nearestRounding?: NearestRounding;
  /**
   * [y, x] scales out/in that place the source coordinates, when they are not height/in_h and
   * width/in_w (ONNX Resize given `scales`: the output size is floor(in·scale), the mapping uses the scale).
   */
  scale?: [number, number];
  /** Bicubic only: taps outside the image get weight 0 and the rest are renormalised (ONNX exclude_outside). */
  excludeOutside?: boolean;
  label?: string;
}

/** The largest |d·a + b| over output indices d < out, which the shader computes in i32. */
const indexRange = (m: AxisMap, out: number) => Math.abs((out - 1) * m.a) + Math.abs(m.b) + m.den;

/** Resizes H and W of an NHWC tensor; returns a new tensor. */
export function resize(ctx: KernelContext, x: Tensor, o: ResizeOptions): Tensor {
  const label = o.label ?? 'resize';
  x.assertAlive(label);
  const coordinates = o.coordinates ?? 'asymmetric';
  if (!(o.mode in MODE_CODE)) throw new KernelError(label, `unknown mode "${o.mode}"`);
  if (!COORDINATE_MODES.includes(coordinates)) {
    throw new KernelError(label, `unknown coordinates "${coordinates}"`);
  }
  if (o.nearestRounding !== undefined && !NEAREST_ROUNDINGS.includes(o.nearestRounding)) {
    throw new KernelError(label, `unknown nearest rounding "${o.nearestRounding}"`);
  }
  if (![o.height, o.width].every((d) => Number.isInteger(d) && d > 0)) {
    throw new KernelError(label, `output size ${o.height}×${o.width} must be positive integers`);
  }
  const [n, h, w, c] = x.shape;
  const [ry, rx] = o.scale ? o.scale.map((s) => scaleRatio(s, label)) : [undefined, undefined];
  const axisMap = (inSize: number, outSize: number, ratio: typeof ry) =>
    o.mode === 'nearest'
      ? nearestAxisMap(inSize, outSize, coordinates, o.nearestRounding, ratio)
      : linearAxisMap(inSize, outSize, coordinates, ratio);
  const my = axisMap(h, o.height, ry);
  const mx = axisMap(w, o.width, rx);
  // Index math (d·a + b) runs in i32: keep it below 2^31.
  if (Math.max(indexRange(my, o.height), indexRange(mx, o.width)) >= 2 ** 31) {
    throw new KernelError(
      label,
      `input ${fmtShape(x.shape)} → ${o.height}×${o.width} overflows i32 index math`,
    );
  }
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
        exclude_outside: o.excludeOutside ? 1 : 0,
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
