import { momentsReference } from '../reduce/reference.ts';

export interface NormReferenceOptions {
  eps: number;
  gamma?: Float32Array;
  beta?: Float32Array;
  activation?: 'linear' | 'relu';
}

function normalise(
  x: Float32Array,
  c: number,
  hw: number,
  stat: (sample: number, ch: number) => [mean: number, variance: number],
  o: NormReferenceOptions,
): Float32Array {
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const ch = i % c;
    const [m, v] = stat(Math.floor(i / (hw * c)), ch);
    let y = ((x[i] - m) / Math.sqrt(v + o.eps)) * (o.gamma?.[ch] ?? 1) + (o.beta?.[ch] ?? 0);
    if (o.activation === 'relu') y = Math.max(y, 0);
    out[i] = y;
  }
  return out;
}

/** Instance norm (PyTorch InstanceNorm2d semantics) on a dense NHWC array, statistics in float64. */
export function instanceNormReference(
  x: Float32Array,
  shape: readonly number[],
  o: NormReferenceOptions,
): Float32Array {
  const [, h, w, c] = shape;
  const { mean, variance } = momentsReference(x, shape);
  return normalise(x, c, h * w, (s, ch) => [mean[s * c + ch], variance[s * c + ch]], o);
}

/** Inference batch norm on a dense NHWC array. */
export function batchNormReference(
  x: Float32Array,
  shape: readonly number[],
  mean: Float32Array,
  variance: Float32Array,
  o: NormReferenceOptions,
): Float32Array {
  const [, h, w, c] = shape;
  return normalise(x, c, h * w, (_, ch) => [mean[ch], variance[ch]], o);
}
