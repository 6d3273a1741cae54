/** Mean and biased variance per (sample, channel) over H×W of a dense NHWC array, in float64 (two-pass). */
export function momentsReference(
  x: ArrayLike<number>,
  shape: readonly number[],
): { mean: Float64Array; variance: Float64Array } {
  const [n, h, w, c] = shape;
  const hw = h * w;
  const mean = new Float64Array(n * c);
  const variance = new Float64Array(n * c);
  for (let s = 0; s < n; s++)
    for (let k = 0; k < c; k++) {
      let sum = 0;
      for (let p = 0; p < hw; p++) sum += x[(s * hw + p) * c + k];
      const m = sum / hw;
      let sq = 0;
      for (let p = 0; p < hw; p++) sq += (x[(s * hw + p) * c + k] - m) ** 2;
      mean[s * c + k] = m;
      variance[s * c + k] = sq / hw;
    }
  return { mean, variance };
}

/** Softmax over the channels of every pixel of a dense NHWC array, in float64. */
export function softmaxReference(x: Float32Array, c: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let p = 0; p < x.length; p += c) {
    let m = -Infinity;
    for (let k = 0; k < c; k++) m = Math.max(m, x[p + k]);
    let s = 0;
    for (let k = 0; k < c; k++) s += Math.exp(x[p + k] - m);
    for (let k = 0; k < c; k++) out[p + k] = Math.exp(x[p + k] - m) / s;
  }
  return out;
}

/** Adjoint of the mean over H×W on a dense NHWC array: dy[n, c] / (H·W) at every pixel. */
export function globalMeanBackwardReference(dy: Float32Array, xShape: readonly number[]): Float32Array {
  const [n, h, w, c] = xShape;
  const dx = new Float32Array(n * h * w * c);
  for (let i = 0; i < dx.length; i++) dx[i] = dy[Math.floor(i / (h * w * c)) * c + (i % c)] / (h * w);
  return dx;
}
