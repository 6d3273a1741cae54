import type { PadSpec } from './pad.ts';

/** CPU reference for pad on a dense NHWC array (no minHeight/minWidth over-allocation). */
export function padReference(
  x: Float32Array,
  shape: readonly number[],
  spec: PadSpec,
): { data: Float32Array; shape: number[] } {
  const [n, h, w, c] = shape;
  const oh = h + spec.top + spec.bottom;
  const ow = w + spec.left + spec.right;
  const out = new Float32Array(n * oh * ow * c).fill(spec.value ?? 0);
  const map = (o: number, size: number): number => {
    if (o >= 0 && o < size) return o;
    if (spec.mode === 'zero') return -1;
    if (spec.mode === 'replicate') return Math.min(Math.max(o, 0), size - 1);
    return o < 0 ? -o : 2 * size - 2 - o;
  };
  for (let b = 0; b < n; b++)
    for (let y = 0; y < oh; y++)
      for (let xx = 0; xx < ow; xx++) {
        const sy = map(y - spec.top, h);
        const sx = map(xx - spec.left, w);
        if (sy < 0 || sx < 0) continue;
        for (let k = 0; k < c; k++)
          out[((b * oh + y) * ow + xx) * c + k] = x[((b * h + sy) * w + sx) * c + k];
      }
  return { data: out, shape: [n, oh, ow, c] };
}
