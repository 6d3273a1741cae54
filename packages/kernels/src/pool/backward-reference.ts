import { planPool2d, type Pool2dOptions } from './pool.ts';

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
  const [, h, w, c] = shape;
  const [n, oh, ow] = plan.outShape;
  const { kh, kw, strideY, strideX } = plan.geometry;
  const [pt, pb, pl, pr] = plan.pads;
  const dx = new Float64Array(x.length);
  for (let b = 0; b < n; b++)
    for (let oy = 0; oy < oh; oy++)
      for (let ox = 0; ox < ow; ox++)
        for (let k = 0; k < c; k++) {
          const d = dy[((b * oh + oy) * ow + ox) * c + k];
          let best = -Infinity;
          let arg = -1;
          const taps: number[] = [];
          let window = 0;
          for (let ky = 0; ky < kh; ky++)
            for (let kx = 0; kx < kw; kx++) {
              const iy = oy * strideY - pt + ky;
              const ix = ox * strideX - pl + kx;
              if (iy >= -pt && iy < h + pb && ix >= -pl && ix < w + pr) window++;
              if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
              const idx = ((b * h + iy) * w + ix) * c + k;
              taps.push(idx);
              if (x[idx] > best) [best, arg] = [x[idx], idx];
            }
          if (o.mode === 'max') {
            if (arg >= 0) dx[arg] += d;
          } else {
            const div = plan.countIncludePad ? window : taps.length;
            for (const idx of taps) dx[idx] += d / div;
          }
        }
  return Float32Array.from(dx);
}
