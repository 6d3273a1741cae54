import { planPool2d, type Pool2dOptions } from './pool.ts';
import { poolWindowTaps } from './reference.ts';

/**
 * The pooling adjoint as the scatter it is: each output window sends its dy to the first tap with
 * the window's maximum (max) or dy / divisor to each tap inside the image (average).
 */
export function pool2dBackwardReference(
  x: Float32Array,
  shape: readonly number[],
  dy: Float32Array,
  o: Pool2dOptions,
): Float32Array {
  const plan = planPool2d(shape, o);
  const c = shape[3];
  const [n, oh, ow] = plan.outShape;
  const dx = new Float64Array(x.length);
  for (let b = 0; b < n; b++)
    for (let oy = 0; oy < oh; oy++)
      for (let ox = 0; ox < ow; ox++)
        for (let k = 0; k < c; k++) {
          const d = dy[((b * oh + oy) * ow + ox) * c + k];
          const { taps, window } = poolWindowTaps(plan, shape, b, oy, ox, k);
          if (o.mode === 'max') {
            let best = -Infinity;
            let arg = -1;
            for (const idx of taps) if (x[idx] > best) [best, arg] = [x[idx], idx];
            if (arg >= 0) dx[arg] += d;
          } else {
            const div = plan.countIncludePad ? window : taps.length;
            for (const idx of taps) dx[idx] += d / div;
          }
        }
  return Float32Array.from(dx);
}
