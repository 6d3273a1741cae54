import { KernelError, fmtShape } from '../core/errors.ts';
import type { PadMode } from '../core/types.ts';
import { ceilModeExtraPads } from '../pool/ceil-mode.ts';
import type { Pool2dOptions } from '../pool/pool.ts';
import {
  nearestAxisMap,
  scaleRatio,
  type CoordinateMode,
  type NearestRounding,
} from '../resize/coordinates.ts';
import type { ResizeMode } from '../resize/resize.ts';

/**
 * ONNX operator conventions in terms of this package's kernels: each function reads a node's
 * attributes (and the shapes it needs), returns the kernel options that compute exactly the ONNX
 * meaning, and throws a KernelError naming the op and the attribute where no kernel option does.
 * The conformance runner and the ONNX importer of @avatarme/nets both go through these, so ONNX's own
 * backend test cases check the translations a model import uses. Shapes are ONNX's (NCHW).
 */
export type OnnxAttribute = number | string | readonly number[] | readonly string[];
export type OnnxAttributes = Readonly<Record<string, OnnxAttribute | undefined>>;

export function unsupported(op: string, what: string): KernelError {
  return new KernelError(`onnx.${op}`, `${what} is not supported`);
}

function intsAttr(attrs: OnnxAttributes, name: string, dflt: readonly number[]): number[] {
  const v = attrs[name];
  if (v === undefined) return [...dflt];
  return (Array.isArray(v) ? v : [v]).map(Number);
}

function intAttr(attrs: OnnxAttributes, name: string, dflt: number): number {
  const v = attrs[name];
  return v === undefined ? dflt : Number(v);
}

function stringAttr(attrs: OnnxAttributes, name: string, dflt: string): string {
  const v = attrs[name];
  return v === undefined ? dflt : String(v);
}

/**
 * A 1-D ONNX Conv, ConvTranspose or pooling node ([N, C, W]) as the 2-D node on [N, C, 1, W] that
 * computes the same: every spatial attribute gains a unit (or zero) H entry. Other ranks pass unchanged.
 */
export function liftTo2d(
  attrs: OnnxAttributes,
  x: readonly number[],
): { attrs: OnnxAttributes; x: number[]; lifted: boolean } {
  if (x.length !== 3) return { attrs, x: [...x], lifted: false };
  const lifted: Record<string, OnnxAttribute | undefined> = { ...attrs };
  const prefix = (name: string, v: number) => {
    if (attrs[name] !== undefined) lifted[name] = [v, ...intsAttr(attrs, name, [])];
  };
  prefix('kernel_shape', 1);
  prefix('strides', 1);
  prefix('dilations', 1);
  prefix('output_padding', 0);
  prefix('output_shape', 1);
  if (attrs.pads !== undefined) {
    const [b, e] = intsAttr(attrs, 'pads', []);
    lifted.pads = [0, b, 0, e];
  }
  return { attrs: lifted, x: [x[0], x[1], 1, x[2]], lifted: true };
}

function need4d(op: string, x: readonly number[]): void {
  if (x.length !== 4) throw unsupported(op, `a ${x.length - 2}-D spatial input ${fmtShape(x)} (only 2-D)`);
}

/** [top, bottom, left, right] of ONNX auto_pad / pads for a window of k taps, stride s, dilation d. */
function spatialPads(
  op: string,
  attrs: OnnxAttributes,
  inHW: readonly number[],
  k: readonly number[],
  s: readonly number[],
  d: readonly number[],
): [number, number, number, number] {
  const autoPad = stringAttr(attrs, 'auto_pad', 'NOTSET');
  if (autoPad === 'NOTSET') {
    const p = intsAttr(attrs, 'pads', [0, 0, 0, 0]);
    if (p.length !== 4) throw new KernelError(`onnx.${op}`, `pads ${fmtShape(p)} must have 4 entries`);
    return [p[0], p[2], p[1], p[3]];
  }
  if (autoPad === 'VALID') return [0, 0, 0, 0];
  if (autoPad !== 'SAME_UPPER' && autoPad !== 'SAME_LOWER') throw unsupported(op, `auto_pad "${autoPad}"`);
  const out: number[] = [];
  for (let i = 0; i < 2; i++) {
    const total = Math.max(0, (Math.ceil(inHW[i] / s[i]) - 1) * s[i] + (k[i] - 1) * d[i] + 1 - inHW[i]);
    // SAME_UPPER puts the odd extra row at the end, SAME_LOWER at the beginning.
    const begin = autoPad === 'SAME_UPPER' ? Math.floor(total / 2) : Math.ceil(total / 2);
    out.push(begin, total - begin);
  }
  return out as [number, number, number, number];
}

export interface OnnxConv2d {
  stride: [number, number];
  dilation: [number, number];
  padding: [number, number, number, number];
  groups: number;
}

/** Conv on x [N, C, H, W] with weights [M, C / group, kH, kW]. */
export function onnxConv2d(attrs: OnnxAttributes, x: readonly number[], w: readonly number[]): OnnxConv2d {
  need4d('Conv', x);
  const k = intsAttr(attrs, 'kernel_shape', w.slice(2));
  if (k[0] !== w[2] || k[1] !== w[3]) {
    throw new KernelError('onnx.Conv', `kernel_shape ${fmtShape(k)} differs from the weights ${fmtShape(w)}`);
  }
  const stride = intsAttr(attrs, 'strides', [1, 1]) as [number, number];
  const dilation = intsAttr(attrs, 'dilations', [1, 1]) as [number, number];
  const groups = intAttr(attrs, 'group', 1);
  const padding = spatialPads('Conv', attrs, x.slice(2), k, stride, dilation);
  return { stride, dilation, padding, groups };
}

/** ONNX Conv weights [M, C / group, kH, kW] (OIHW) to the kernels' HWIO [kH, kW, C / group, M]. */
export function oihwToHwio(oihw: Float32Array, [m, c, kh, kw]: readonly number[]): Float32Array {
  const out = new Float32Array(oihw.length);
  for (let o = 0; o < m; o++)
    for (let i = 0; i < c; i++)
      for (let t = 0; t < kh * kw; t++) out[(t * c + i) * m + o] = oihw[(o * c + i) * kh * kw + t];
  return out;
}

export interface OnnxConvTranspose2d {
  stride: [number, number];
  /** Weights to dilate (dilateKernel) before they reach the kernel, which has no dilation. */
  kernelDilation: [number, number];
  /** PyTorch semantics, as ConvTranspose2d takes it: [top, bottom, left, right] cropped. */
  padding: [number, number, number, number];
  outputPadding: [number, number];
}

/** ConvTranspose on x [N, C, H, W] with weights [C, M / group, kH, kW]. */
export function onnxConvTranspose2d(
  attrs: OnnxAttributes,
  x: readonly number[],
  w: readonly number[],
): OnnxConvTranspose2d {
  const op = 'ConvTranspose';
  need4d(op, x);
  if (intAttr(attrs, 'group', 1) !== 1) throw unsupported(op, `group ${intAttr(attrs, 'group', 1)}`);
  const dilation = intsAttr(attrs, 'dilations', [1, 1]) as [number, number];
  if (dilation.some((d) => !Number.isInteger(d) || d < 1))
    throw unsupported(op, `dilations ${fmtShape(dilation)}`);
  // A dilated kernel is the kernel with d − 1 zeros between taps: (k − 1)·d + 1 taps.
  const k = intsAttr(attrs, 'kernel_shape', w.slice(2)).map((v, i) => (v - 1) * dilation[i] + 1);
  const stride = intsAttr(attrs, 'strides', [1, 1]) as [number, number];
  const outputPadding = intsAttr(attrs, 'output_padding', [0, 0]) as [number, number];
  const autoPad = stringAttr(attrs, 'auto_pad', 'NOTSET');
  const outputShape = attrs.output_shape === undefined ? undefined : intsAttr(attrs, 'output_shape', []);
  let pads: number[];
  if (outputShape !== undefined || autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
    const target = outputShape?.slice(-2) ?? [x[2] * stride[0], x[3] * stride[1]];
    pads = [];
    for (let i = 0; i < 2; i++) {
      const total = stride[i] * (x[2 + i] - 1) + outputPadding[i] + k[i] - target[i];
      // The split ONNX specifies: SAME_UPPER puts the smaller half first, anything else the larger.
      const half = Math.floor(total / 2);
      pads.push(
        autoPad === 'SAME_UPPER' ? half : total - half,
        autoPad === 'SAME_UPPER' ? total - half : half,
      );
    }
    pads = [pads[0], pads[1], pads[2], pads[3]];
  } else if (autoPad === 'VALID') {
    pads = [0, 0, 0, 0];
  } else if (autoPad === 'NOTSET') {
    const p = intsAttr(attrs, 'pads', [0, 0, 0, 0]);
    pads = [p[0], p[2], p[1], p[3]];
  } else {
    throw unsupported(op, `auto_pad "${autoPad}"`);
  }
  // A negative end pad asks for rows past the full output: the same as output padding there.
  const extra = [Math.max(0, -pads[1]), Math.max(0, -pads[3])];
  const padding = [
    pads[0],
    Math.max(0, pads[1]),
    pads[2],
    Math.max(0, pads[3]),
  ] as OnnxConvTranspose2d['padding'];
  const outPad: [number, number] = [outputPadding[0] + extra[0], outputPadding[1] + extra[1]];
  if (padding[0] < 0 || padding[2] < 0)
    throw unsupported(op, `output rows before the full output (pads ${fmtShape(pads)})`);
  if (outPad[0] >= stride[0] || outPad[1] >= stride[1]) {
    throw unsupported(op, `output padding ${fmtShape(outPad)} not below the stride ${fmtShape(stride)}`);
  }
  return { stride, kernelDilation: dilation, padding, outputPadding: outPad };
}

/**
 * Weights [A, B, kH, kW] (any two leading dims: ONNX's OIHW or ConvTranspose's IOHW) with d − 1 zero
 * taps between neighbours: the kernel a dilated (transposed) convolution applies.
 */
export function dilateKernel(
  w: Float32Array,
  dims: readonly number[],
  [dy, dx]: readonly number[],
): { data: Float32Array; dims: number[] } {
  const [a, b, kh, kw] = dims;
  if (dy === 1 && dx === 1) return { data: w, dims: [...dims] };
  const [eh, ew] = [(kh - 1) * dy + 1, (kw - 1) * dx + 1];
  const out = new Float32Array(a * b * eh * ew);
  for (let p = 0; p < a * b; p++)
    for (let y = 0; y < kh; y++)
      for (let x = 0; x < kw; x++) out[(p * eh + y * dy) * ew + x * dx] = w[(p * kh + y) * kw + x];
  return { data: out, dims: [a, b, eh, ew] };
}

/** MaxPool / AveragePool on x [N, C, H, W]. */
export function onnxPool2d(
  op: 'MaxPool' | 'AveragePool',
  attrs: OnnxAttributes,
  x: readonly number[],
): Pool2dOptions {
  need4d(op, x);
  const k = intsAttr(attrs, 'kernel_shape', []) as [number, number];
  if (k.length !== 2) throw new KernelError(`onnx.${op}`, `kernel_shape ${fmtShape(k)} must have 2 entries`);
  const stride = intsAttr(attrs, 'strides', [1, 1]) as [number, number];
  const dilation = intsAttr(attrs, 'dilations', [1, 1]);
  if (dilation.some((d) => d !== 1)) throw unsupported(op, `dilations ${fmtShape(dilation)}`);
  const padding = spatialPads(op, attrs, x.slice(2), k, stride, [1, 1]);
  const countIncludePad = intAttr(attrs, 'count_include_pad', 0) === 1;
  if (intAttr(attrs, 'ceil_mode', 0) === 1) {
    const extra = ceilModeExtraPads(x.slice(2), k, stride, padding);
    if (op === 'AveragePool' && countIncludePad && (extra[0] || extra[1])) {
      // The partial window's divisor counts the taps inside the padded image, not the ceil extension.
      throw unsupported(op, 'ceil_mode 1 with count_include_pad 1 where it adds a partial window');
    }
    padding[1] += extra[0];
    padding[3] += extra[1];
  }
  return {
    mode: op === 'MaxPool' ? 'max' : 'avg',
    kernel: k,
    stride,
    padding,
    countIncludePad,
  };
}

/** ONNX Pad's pads [x1_begin, …, xn_begin, x1_end, …] on [N, C, H, W] as [top, bottom, left, right]. */
export function onnxPad2d(
  attrs: OnnxAttributes,
  x: readonly number[],
  pads: readonly number[],
  constant: number,
): { pads: [number, number, number, number]; mode: PadMode; value?: number } {
  const op = 'Pad';
  const r = x.length;
  if (pads.length !== 2 * r)
    throw new KernelError(`onnx.${op}`, `pads ${fmtShape(pads)} for input ${fmtShape(x)}`);
  if (r !== 4) throw unsupported(op, `padding a rank-${r} tensor ${fmtShape(x)} (only [N, C, H, W])`);
  if (pads[0] || pads[1] || pads[4] || pads[5])
    throw unsupported(op, `padding N or C (pads ${fmtShape(pads)})`);
  if (pads.some((p) => p < 0)) throw unsupported(op, `negative pads ${fmtShape(pads)}`);
  const mode = stringAttr(attrs, 'mode', 'constant');
  const kernelMode = ({ constant: 'zero', reflect: 'reflect', edge: 'replicate' } as const)[
    mode as 'constant' | 'reflect' | 'edge'
  ];
  if (!kernelMode) throw unsupported(op, `mode "${mode}"`);
  const value = mode === 'constant' && constant !== 0 ? constant : undefined;
  return { pads: [pads[2], pads[6], pads[3], pads[7]], mode: kernelMode, value };
}

/** The output index ONNX Resize's nearest mode picks for output index d along one axis (the spec's formulas). */
export function onnxNearestIndex(
  d: number,
  inSize: number,
  outSize: number,
  scale: number,
  coordinates: string,
  nearestMode: string,
): number {
  let x: number;
  switch (coordinates) {
    case 'half_pixel':
      x = (d + 0.5) / scale - 0.5;
      break;
    case 'pytorch_half_pixel':
      x = outSize > 1 ? (d + 0.5) / scale - 0.5 : 0;
      break;
    case 'align_corners': {
      // ONNX's output width is scale · in, which is the output size unless a scale was given.
      const ow = Math.fround(scale * inSize) === Math.fround(outSize) ? outSize : scale * inSize;
      x = ow === 1 ? 0 : (d * (inSize - 1)) / (ow - 1);
      break;
    }
    case 'asymmetric':
      x = d / scale;
      break;
    case 'tf_half_pixel_for_nn':
      x = (d + 0.5) / scale;
      break;
    default:
      throw unsupported('Resize', `coordinate_transformation_mode "${coordinates}"`);
  }
  let i: number;
  switch (nearestMode) {
    case 'round_prefer_floor':
      i = x === Math.floor(x) + 0.5 ? Math.floor(x) : Math.round(x);
      break;
    case 'round_prefer_ceil':
      i = Math.round(x);
      break;
    case 'floor':
      i = Math.floor(x);
      break;
    case 'ceil':
      i = Math.ceil(x);
      break;
    default:
      throw unsupported('Resize', `nearest_mode "${nearestMode}"`);
  }
  return Math.min(Math.max(i, 0), inSize - 1);
}

const COORDINATES: Record<string, CoordinateMode> = {
  half_pixel: 'half-pixel',
  pytorch_half_pixel: 'pytorch-half-pixel',
  align_corners: 'align-corners',
  asymmetric: 'asymmetric',
  tf_half_pixel_for_nn: 'tf-half-pixel-for-nn',
};

const ROUNDINGS: Record<string, NearestRounding> = {
  round_prefer_floor: 'round-prefer-floor',
  round_prefer_ceil: 'round-prefer-ceil',
  floor: 'floor',
  ceil: 'ceil',
};

export interface OnnxResize {
  height: number;
  width: number;
  mode: ResizeMode;
  coordinates: CoordinateMode;
  cubicA: number;
  nearestRounding?: NearestRounding;
  /** [y, x] scales that place the source coordinates, where ONNX was given scales other than out/in. */
  scale?: [number, number];
  excludeOutside?: boolean;
}

/** Resize's attributes (mode, coordinate_transformation_mode, nearest_mode, cubic_coeff_a, exclude_outside) as kernel options. */
export function onnxResizeMode(
  attrs: OnnxAttributes,
): Pick<OnnxResize, 'mode' | 'coordinates' | 'cubicA' | 'nearestRounding' | 'excludeOutside'> {
  const op = 'Resize';
  const onnxMode = stringAttr(attrs, 'mode', 'nearest');
  const mode = ({ nearest: 'nearest', linear: 'bilinear', cubic: 'bicubic' } as const)[
    onnxMode as 'nearest' | 'linear' | 'cubic'
  ];
  if (!mode) throw unsupported(op, `mode "${onnxMode}"`);
  const ctm = stringAttr(attrs, 'coordinate_transformation_mode', 'half_pixel');
  const coordinates = COORDINATES[ctm];
  if (!coordinates) {
    const why = ctm === 'tf_crop_and_resize' ? ' (a crop box with an extrapolation value)' : '';
    throw unsupported(op, `coordinate_transformation_mode "${ctm}"${why}`);
  }
  const cubicA = Number(attrs.cubic_coeff_a ?? -0.75);
  const r: ReturnType<typeof onnxResizeMode> = { mode, coordinates, cubicA };
  // Linear and nearest never read a tap outside the image that edge clamping would not give.
  if (mode === 'bicubic' && intAttr(attrs, 'exclude_outside', 0) !== 0) r.excludeOutside = true;
  if (mode === 'nearest') {
    const nearestMode = stringAttr(attrs, 'nearest_mode', 'round_prefer_floor');
    r.nearestRounding = ROUNDINGS[nearestMode];
    if (!r.nearestRounding) throw unsupported(op, `nearest_mode "${nearestMode}"`);
  }
  return r;
}

/**
 * Resize on x [N, C, H, W] to `sizes`, or by `scales` (one per axis; the output is floor(in · scale) and
 * the mapping uses the scale). The kernel places source pixels with the scale as a small fraction
 * (coordinates.ts); for nearest modes each output pixel's source is checked against ONNX's formula in
 * f64, so a fraction that rounds differently is refused rather than run.
 */
export function onnxResize(
  attrs: OnnxAttributes,
  x: readonly number[],
  scales: readonly number[] | undefined,
  sizes: readonly number[] | undefined,
): OnnxResize {
  const op = 'Resize';
  need4d(op, x);
  const out = sizes?.length
    ? [...sizes]
    : scales?.length
      ? x.map((v, i) => Math.floor(v * scales[i]))
      : undefined;
  if (!out || out.length !== 4)
    throw new KernelError(`onnx.${op}`, `needs 4 scales or sizes for input ${fmtShape(x)}`);
  if (out[0] !== x[0] || out[1] !== x[1])
    throw unsupported(op, `resizing N or C (${fmtShape(x)} → ${fmtShape(out)})`);
  const [height, width] = [out[2], out[3]];
  if (height < 1 || width < 1) throw unsupported(op, `an empty output ${fmtShape(out)}`);
  const { mode, coordinates, cubicA, nearestRounding, excludeOutside } = onnxResizeMode(attrs);
  const given = scales?.length && !sizes?.length;
  const axisScales = [2, 3].map((i) => (given ? scales[i] : out[i] / x[i]));
  const r: OnnxResize = { height, width, mode, coordinates, cubicA };
  if (excludeOutside) r.excludeOutside = true;
  if ([0, 1].some((i) => Math.fround(out[2 + i] / x[2 + i]) !== Math.fround(axisScales[i]))) {
    r.scale = [axisScales[0], axisScales[1]];
  }
  if (nearestRounding) {
    const rounding = nearestRounding;
    const ctm = stringAttr(attrs, 'coordinate_transformation_mode', 'half_pixel');
    const nearestMode = stringAttr(attrs, 'nearest_mode', 'round_prefer_floor');
    r.nearestRounding = rounding;
    for (let i = 0; i < 2; i++) {
      const [n, o] = [x[2 + i], out[2 + i]];
      const m = nearestAxisMap(n, o, coordinates, rounding, r.scale && scaleRatio(r.scale[i], 'onnx.Resize'));
      for (let d = 0; d < o; d++) {
        const kernel = Math.min(Math.max(Math.floor((d * m.a + m.b) / m.den), 0), n - 1);
        if (kernel !== onnxNearestIndex(d, n, o, axisScales[i], ctm, nearestMode)) {
          throw unsupported(
            op,
            `scale ${axisScales[i]} as the fraction the kernel uses picks another pixel at output ${d} (${fmtShape(x)} → ${height}×${width})`,
          );
        }
      }
    }
  }
  return r;
}
