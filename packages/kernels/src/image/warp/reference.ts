import type { AffineWarpOptions } from './affine-warp.ts';

/** CPU reference for affineWarp on a dense NHWC array, in f64. */
export function affineWarpReference(
  x: Float32Array,
  shape: readonly number[],
  o: AffineWarpOptions,
): { data: Float32Array; shape: number[] } {
  const [n, h, w, c] = shape;
  const [m0, m1, m2, m3, m4, m5] = o.matrix;
  const replicate = o.border === 'replicate';
  const out = new Float32Array(n * o.height * o.width * c);
  const tap = (b: number, y: number, xx: number, k: number): number => {
    if (!replicate && (y < 0 || y >= h || xx < 0 || xx >= w)) return 0;
    const yy = Math.min(Math.max(y, 0), h - 1);
    const xc = Math.min(Math.max(xx, 0), w - 1);
    return x[((b * h + yy) * w + xc) * c + k];
  };
  for (let b = 0; b < n; b++)
    for (let v = 0; v < o.height; v++)
      for (let u = 0; u < o.width; u++) {
        const sx = m0 * (u + 0.5) + m1 * (v + 0.5) + m2 - 0.5;
        const sy = m3 * (u + 0.5) + m4 * (v + 0.5) + m5 - 0.5;
        const x0 = Math.floor(sx);
        const y0 = Math.floor(sy);
        const tx = sx - x0;
        const ty = sy - y0;
        for (let k = 0; k < c; k++) {
          const top = tap(b, y0, x0, k) * (1 - tx) + tap(b, y0, x0 + 1, k) * tx;
          const bottom = tap(b, y0 + 1, x0, k) * (1 - tx) + tap(b, y0 + 1, x0 + 1, k) * tx;
          out[((b * o.height + v) * o.width + u) * c + k] = top * (1 - ty) + bottom * ty;
        }
      }
  return { data: out, shape: [n, o.height, o.width, c] };
}
