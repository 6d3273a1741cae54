import { defaultBlurRadius, type GaussianBlurOptions } from './gaussian-blur.ts';

function borderIndex(i: number, n: number, reflect: boolean): number {
  if (!reflect || n === 1) return Math.min(Math.max(i, 0), n - 1);
  const period = 2 * (n - 1);
  const m = ((i % period) + period) % period;
  return m < n ? m : period - m;
}

/** CPU reference for gaussianBlur on a dense NHWC array, in f64 (2-D weights as the product of 1-D ones). */
export function gaussianBlurReference(
  x: Float32Array,
  shape: readonly number[],
  o: GaussianBlurOptions,
): Float32Array {
  const [n, h, w, c] = shape;
  const r = o.radius ?? defaultBlurRadius(o.sigma);
  const reflect = o.border === 'reflect';
  const g: number[] = [];
  for (let k = -r; k <= r; k++) g.push(Math.exp((-k * k) / (2 * o.sigma * o.sigma)));
  const sum = g.reduce((a, b) => a + b, 0);
  const wts = g.map((v) => v / sum);
  const out = new Float32Array(x.length);
  for (let b = 0; b < n; b++)
    for (let y = 0; y < h; y++)
      for (let xx = 0; xx < w; xx++)
        for (let k = 0; k < c; k++) {
          let acc = 0;
          for (let i = -r; i <= r; i++) {
            const sy = borderIndex(y + i, h, reflect);
            for (let j = -r; j <= r; j++) {
              const sx = borderIndex(xx + j, w, reflect);
              acc += wts[i + r] * wts[j + r] * x[((b * h + sy) * w + sx) * c + k];
            }
          }
          out[((b * h + y) * w + xx) * c + k] = acc;
        }
  return out;
}
