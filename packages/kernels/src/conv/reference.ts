import type { Activation, PadMode, Padding } from '../core/types.ts';
import { padReference } from '../pad/reference.ts';
import { convOutputSize, convTransposeOutputSize, resolvePadding, type ConvGeometry } from './geometry.ts';
import type { EpilogueOptions } from './layer.ts';

export interface Conv2dReferenceOptions extends EpilogueOptions {
  stride?: [number, number];
  dilation?: [number, number];
  padding?: Padding;
  padMode?: PadMode;
  groups?: number;
  residual?: Float32Array;
}

export function activateReference(v: number, act: Activation, c: number, o: EpilogueOptions): number {
  switch (act) {
    case 'relu':
      return Math.max(v, 0);
    case 'relu6':
      return Math.min(Math.max(v, 0), 6);
    case 'leakyRelu':
      return v >= 0 ? v : v * (o.leakySlope ?? 0.2);
    case 'prelu':
      return v >= 0 ? v : v * o.prelu![c];
    case 'clamp':
      return Math.min(Math.max(v, o.clampMin ?? 0), o.clampMax ?? 1);
    case 'tanh':
      return Math.tanh(v);
    case 'sigmoid':
      return 1 / (1 + Math.exp(-v));
    default:
      return v;
  }
}

/**
 * Plain CPU convolution, NHWC input, HWIO weights [kh, kw, cin/groups, cout], accumulated in float64.
 * y = residual + beta · act(conv + bias).
 */
export function conv2dReference(
  x: Float32Array,
  xShape: readonly number[],
  weights: Float32Array,
  wShape: readonly number[],
  o: Conv2dReferenceOptions = {},
): { data: Float32Array; shape: [number, number, number, number] } {
  const [n, h, w, cin] = xShape;
  const [kh, kw, cinPerGroup, cout] = wShape;
  const groups = o.groups ?? 1;
  const [sy, sx] = o.stride ?? [1, 1];
  const [dy, dx] = o.dilation ?? [1, 1];
  const g: ConvGeometry = { kh, kw, strideY: sy, strideX: sx, dilationY: dy, dilationX: dx };
  const pads = resolvePadding(o.padding ?? 'valid', h, w, g);
  const [oh, ow] = convOutputSize('conv2dReference', h, w, pads, g);
  const padded = padReference(x, xShape, {
    top: pads[0],
    bottom: pads[1],
    left: pads[2],
    right: pads[3],
    mode: o.padMode ?? 'zero',
  });
  const [, ph, pw] = padded.shape;
  const coutPerGroup = cout / groups;
  const out = new Float32Array(n * oh * ow * cout);
  const act = o.activation ?? 'linear';
  const beta = o.beta ?? 1;
  for (let b = 0; b < n; b++)
    for (let oy = 0; oy < oh; oy++)
      for (let ox = 0; ox < ow; ox++)
        for (let co = 0; co < cout; co++) {
          const grp = Math.floor(co / coutPerGroup);
          let acc = 0;
          for (let ky = 0; ky < kh; ky++)
            for (let kx = 0; kx < kw; kx++) {
              const iy = oy * sy + ky * dy;
              const ix = ox * sx + kx * dx;
              const xBase = ((b * ph + iy) * pw + ix) * cin + grp * cinPerGroup;
              const wBase = (ky * kw + kx) * cinPerGroup * cout + co;
              for (let ci = 0; ci < cinPerGroup; ci++)
                acc += padded.data[xBase + ci] * weights[wBase + ci * cout];
            }
          if (o.bias) acc += o.bias[co];
          let v = activateReference(acc, act, co, o) * beta;
          const idx = ((b * oh + oy) * ow + ox) * cout + co;
          if (o.residual) v += o.residual[idx];
          out[idx] = v;
        }
  return { data: out, shape: [n, oh, ow, cout] };
}

export interface ConvTranspose2dReferenceOptions extends Pick<
  EpilogueOptions,
  'bias' | 'activation' | 'leakySlope' | 'prelu'
> {
  stride?: [number, number];
  /** [top, bottom, left, right], PyTorch semantics: rows/columns cropped from the full output. */
  padding?: [number, number, number, number];
  outputPadding?: [number, number];
}

/**
 * Plain CPU transposed convolution written as the scatter it is defined as: input pixel (iy, ix)
 * adds x · w[ky, kx, co, ci] to output (iy·s - pad + ky, ix·s - pad + kx). NHWC input, weights in
 * TF.js's conv2dTranspose layout [kh, kw, cout, cin]. Accumulates in float64.
 */
export function convTranspose2dReference(
  x: Float32Array,
  xShape: readonly number[],
  weights: Float32Array,
  wShape: readonly number[],
  o: ConvTranspose2dReferenceOptions = {},
): { data: Float32Array; shape: [number, number, number, number] } {
  const [n, h, w, cin] = xShape;
  const [kh, kw, cout] = wShape;
  const [sy, sx] = o.stride ?? [1, 1];
  const [pt, pb, pl, pr] = o.padding ?? [0, 0, 0, 0];
  const [opy, opx] = o.outputPadding ?? [0, 0];
  const oh = convTransposeOutputSize(h, kh, sy, pt, pb, opy);
  const ow = convTransposeOutputSize(w, kw, sx, pl, pr, opx);
  const acc = new Float64Array(n * oh * ow * cout);
  for (let b = 0; b < n; b++)
    for (let iy = 0; iy < h; iy++)
      for (let ix = 0; ix < w; ix++)
        for (let ky = 0; ky < kh; ky++) {
          const oy = iy * sy - pt + ky;
          if (oy < 0 || oy >= oh) continue;
          for (let kx = 0; kx < kw; kx++) {
            const ox = ix * sx - pl + kx;
            if (ox < 0 || ox >= ow) continue;
            const xBase = ((b * h + iy) * w + ix) * cin;
            const oBase = ((b * oh + oy) * ow + ox) * cout;
            for (let co = 0; co < cout; co++) {
              const wBase = ((ky * kw + kx) * cout + co) * cin;
              let s = 0;
              for (let ci = 0; ci < cin; ci++) s += x[xBase + ci] * weights[wBase + ci];
              acc[oBase + co] += s;
            }
          }
        }
  const out = new Float32Array(acc.length);
  const act = o.activation ?? 'linear';
  for (let i = 0; i < acc.length; i++) {
    const co = i % cout;
    out[i] = activateReference(acc[i] + (o.bias?.[co] ?? 0), act, co, o);
  }
  return { data: out, shape: [n, oh, ow, cout] };
}
