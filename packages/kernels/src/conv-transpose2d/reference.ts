import { activateReference, type Activation } from '../conv2d/reference.ts';

export interface ConvTranspose2dReferenceOptions {
  stride?: [number, number];
  /** [top, bottom, left, right], PyTorch semantics: rows/columns cropped from the full output. */
  padding?: [number, number, number, number];
  outputPadding?: [number, number];
  bias?: Float32Array;
  activation?: Activation;
  leakySlope?: number;
  prelu?: Float32Array;
}

/** PyTorch's ConvTranspose2d output size: (in - 1)·stride - padBefore - padAfter + k + outputPadding. */
export function convTransposeOutputSize(
  size: number,
  k: number,
  stride: number,
  padBefore: number,
  padAfter: number,
  outputPadding: number,
): number {
  return (size - 1) * stride - padBefore - padAfter + k + outputPadding;
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
