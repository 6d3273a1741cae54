import { linearAxisMap, nearestAxisMap, type CoordinateMode } from './coordinates.ts';
import type { ResizeMode } from './resize.ts';

/** Keys cubic convolution kernel with parameter a. */
export function keysCubic(x: number, a: number): number {
  const t = Math.abs(x);
  if (t <= 1) return ((a + 2) * t - (a + 3)) * t * t + 1;
  if (t < 2) return ((a * t - 5 * a) * t + 8 * a) * t - 4 * a;
  return 0;
}

/** CPU reference for resize on a dense NHWC array, in f64. */
export function resizeReference(
  x: Float32Array,
  shape: readonly number[],
  o: { height: number; width: number; mode: ResizeMode; coordinates?: CoordinateMode; cubicA?: number },
): { data: Float32Array; shape: number[] } {
  const [n, h, w, c] = shape;
  const coordinates = o.coordinates ?? 'asymmetric';
  const a = o.cubicA ?? -0.75;
  const out = new Float32Array(n * o.height * o.width * c);
  const at = (b: number, y: number, xx: number, k: number): number => {
    const yy = Math.min(Math.max(y, 0), h - 1);
    const xc = Math.min(Math.max(xx, 0), w - 1);
    return x[((b * h + yy) * w + xc) * c + k];
  };
  const nearY = nearestAxisMap(h, o.height, coordinates);
  const nearX = nearestAxisMap(w, o.width, coordinates);
  const linY = linearAxisMap(h, o.height, coordinates);
  const linX = linearAxisMap(w, o.width, coordinates);
  for (let b = 0; b < n; b++)
    for (let oy = 0; oy < o.height; oy++)
      for (let ox = 0; ox < o.width; ox++)
        for (let k = 0; k < c; k++) {
          let v: number;
          if (o.mode === 'nearest') {
            const y = Math.min(Math.floor((oy * nearY.a + nearY.b) / nearY.den), h - 1);
            const xx = Math.min(Math.floor((ox * nearX.a + nearX.b) / nearX.den), w - 1);
            v = at(b, y, xx, k);
          } else if (o.mode === 'bilinear') {
            const sy = Math.max((oy * linY.a + linY.b) / linY.den, 0);
            const sx = Math.max((ox * linX.a + linX.b) / linX.den, 0);
            const y0 = Math.floor(sy);
            const x0 = Math.floor(sx);
            const ty = sy - y0;
            const tx = sx - x0;
            const top = at(b, y0, x0, k) * (1 - tx) + at(b, y0, x0 + 1, k) * tx;
            const bottom = at(b, y0 + 1, x0, k) * (1 - tx) + at(b, y0 + 1, x0 + 1, k) * tx;
            v = top * (1 - ty) + bottom * ty;
          } else {
            const sy = (oy * linY.a + linY.b) / linY.den;
            const sx = (ox * linX.a + linX.b) / linX.den;
            const y0 = Math.floor(sy);
            const x0 = Math.floor(sx);
            v = 0;
            for (let i = -1; i <= 2; i++)
              for (let j = -1; j <= 2; j++)
                v += keysCubic(sy - (y0 + i), a) * keysCubic(sx - (x0 + j), a) * at(b, y0 + i, x0 + j, k);
          }
          out[((b * o.height + oy) * o.width + ox) * c + k] = v;
        }
  return { data: out, shape: [n, o.height, o.width, c] };
}
