import { KernelError, fmtShape } from '../core/errors.ts';
import type { PadMode } from '../core/types.ts';
import type { Pool2dOptions } from '../pool/pool.ts';
import { nearestAxisMap, type CoordinateMode } from '../resize/coordinates.ts';
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
  const dilation = intsAttr(attrs, 'dilations', [1, 1]);
  if (dilation.some((d) => d !== 1)) throw unsupported(op, `dilations ${fmtShape(dilation)}`);
  const k = intsAttr(attrs, 'kernel_shape', w.slice(2));
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
  return { stride, padding, outputPadding: outPad };
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
  if (intAttr(attrs, 'ceil_mode', 0) === 1) {
    for (let i = 0; i < 2; i++) {
      const span = x[2 + i] + padding[2 * i] + padding[2 * i + 1] - k[i];
      // Ceil mode only differs from floor where it adds a last, partial window.
      if (span % stride[i] !== 0) throw unsupported(op, 'ceil_mode 1 where it adds a partial window');
    }
  }
  return {
    mode: op === 'MaxPool' ? 'max' : 'avg',
    kernel: k,
    stride,
    padding,
    countIncludePad: intAttr(attrs, 'count_include_pad', 0) === 1,
  };
}

/** ONNX Pad's pads [x1_begin, …, xn_begin, x1_end, …] on [N, C, H, W] as [top, bottom, left, right]. */
export function onnxPad2d(
  attrs: OnnxAttributes,
  x: readonly number[],
  pads: readonly number[],
  constant: number,
): { pads: [number, number, number, number]; mode: PadMode } {
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
  if (mode === 'constant' && constant !== 0) throw unsupported(op, `constant_value ${constant}`);
  return { pads: [pads[2], pads[6], pads[3], pads[7]], mode: kernelMode };
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
    case 'align_corners':
      x = outSize === 1 ? 0 : (d * (inSize - 1)) / (outSize - 1);
      break;
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

function kernelNearestIndex(d: number, inSize: number, outSize: number, mode: CoordinateMode): number {
  const m = nearestAxisMap(inSize, outSize, mode);
  return Math.min(Math.floor((d * m.a + m.b) / m.den), inSize - 1);
}

export interface OnnxResize {
  height: number;
  width: number;
  mode: ResizeMode;
  coordinates: CoordinateMode;
  cubicA: number;
}

/**
 * Resize on x [N, C, H, W] to `sizes`, or by `scales` (one per axis). The kernel maps output pixels with
 * in/out as the scale, so a given scale must be exactly out/in; nearest modes are accepted where the
 * kernel's rounding picks the same source pixel for every output pixel of this shape.
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
  const axisScales = [2, 3].map((i) => (scales?.length && !sizes?.length ? scales[i] : out[i] / x[i]));
  for (let i = 0; i < 2; i++) {
    if (Math.fround(out[2 + i] / x[2 + i]) !== Math.fround(axisScales[i])) {
      throw unsupported(
        op,
        `scale ${axisScales[i]} that is not output/input size (${out[2 + i]}/${x[2 + i]})`,
      );
    }
  }
  if (intAttr(attrs, 'exclude_outside', 0) !== 0) throw unsupported(op, 'exclude_outside 1');
  const onnxMode = stringAttr(attrs, 'mode', 'nearest');
  const ctm = stringAttr(attrs, 'coordinate_transformation_mode', 'half_pixel');
  const [height, width] = [out[2], out[3]];
  const mode = ({ nearest: 'nearest', linear: 'bilinear', cubic: 'bicubic' } as const)[
    onnxMode as 'nearest' | 'linear' | 'cubic'
  ];
  if (!mode) throw unsupported(op, `mode "${onnxMode}"`);
  const cubicA = Number(attrs.cubic_coeff_a ?? -0.75);
  let coordinates: CoordinateMode | undefined;
  if (mode === 'nearest') {
    const nearestMode = stringAttr(attrs, 'nearest_mode', 'round_prefer_floor');
    const candidates: CoordinateMode[] = ['asymmetric', 'half-pixel', 'align-corners'];
    coordinates = candidates.find((c) =>
      [0, 1].every((i) => {
        const [n, o] = [x[2 + i], out[2 + i]];
        for (let d = 0; d < o; d++) {
          if (kernelNearestIndex(d, n, o, c) !== onnxNearestIndex(d, n, o, axisScales[i], ctm, nearestMode)) {
            return false;
          }
        }
        return true;
      }),
    );
    if (!coordinates) {
      throw unsupported(
        op,
        `nearest_mode "${nearestMode}" with "${ctm}" on ${fmtShape(x)} → ${height}×${width}`,
      );
    }
  } else {
    const single = height === 1 || width === 1;
    coordinates = (
      {
        asymmetric: 'asymmetric',
        half_pixel: 'half-pixel',
        pytorch_half_pixel: single ? undefined : 'half-pixel',
        align_corners: 'align-corners',
      } as Record<string, CoordinateMode | undefined>
    )[ctm];
    if (!coordinates)
      throw unsupported(op, `coordinate_transformation_mode "${ctm}" with mode "${onnxMode}"`);
  }
  return { height, width, mode, coordinates, cubicA };
}
