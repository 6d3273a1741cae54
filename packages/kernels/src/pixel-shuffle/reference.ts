import type { DepthToSpaceOrder } from './pixel-shuffle.ts';

/** CPU reference for depthToSpace on a dense NHWC array. */
export function depthToSpaceReference(
  x: Float32Array,
  shape: readonly number[],
  block: number,
  order: DepthToSpaceOrder,
): { data: Float32Array; shape: number[] } {
  const [n, h, w, cin] = shape;
  const s = block;
  const c = cin / (s * s);
  const [oh, ow] = [h * s, w * s];
  const out = new Float32Array(n * oh * ow * c);
  for (let b = 0; b < n; b++)
    for (let y = 0; y < oh; y++)
      for (let xx = 0; xx < ow; xx++)
        for (let k = 0; k < c; k++) {
          const [i, j] = [y % s, xx % s];
          const ic = order === 'DCR' ? (i * s + j) * c + k : k * s * s + i * s + j;
          out[((b * oh + y) * ow + xx) * c + k] =
            x[((b * h + Math.floor(y / s)) * w + Math.floor(xx / s)) * cin + ic];
        }
  return { data: out, shape: [n, oh, ow, c] };
}
