import { planPool2d, type Pool2dOptions, type PoolPlan } from './pool.ts';

/**
 * Output (b, oy, ox)'s window for channel k of a dense NHWC input of `shape`: the flat indices of its
 * taps inside the image, in scan order, and its size clipped to the padded image.
 */
export function poolWindowTaps(
  plan: PoolPlan,
  shape: readonly number[],
  b: number,
  oy: number,
  ox: number,
  k: number,
): { taps: number[]; window: number } {
  const [, h, w, c] = shape;
  const { kh, kw, strideY, strideX } = plan.geometry;
  const [pt, pb, pl, pr] = plan.pads;
  const taps: number[] = [];
  let window = 0;
  for (let ky = 0; ky < kh; ky++)
    for (let kx = 0; kx < kw; kx++) {
      const iy = oy * strideY - pt + ky;
      const ix = ox * strideX - pl + kx;
      if (iy >= -pt && iy < h + pb && ix >= -pl && ix < w + pr) window++;
      if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
      taps.push(((b * h + iy) * w + ix) * c + k);
    }
  return { taps, window };
}

/** CPU pooling on a dense NHWC array, written from the definitions (PyTorch AvgPool2d/MaxPool2d, TF 'same'). */
export function pool2dReference(
  x: Float32Array,
  shape: readonly number[],
  o: Pool2dOptions,
): { data: Float32Array; shape: number[] } {
  const plan = planPool2d(shape, o);
  const c = shape[3];
  const [n, oh, ow] = plan.outShape;
  const out = new Float32Array(n * oh * ow * c);
  for (let b = 0; b < n; b++)
    for (let oy = 0; oy < oh; oy++)
      for (let ox = 0; ox < ow; ox++)
        for (let k = 0; k < c; k++) {
          const { taps, window } = poolWindowTaps(plan, shape, b, oy, ox, k);
          let best = -Infinity;
          let sum = 0;
          for (const idx of taps) {
            best = Math.max(best, x[idx]);
            sum += x[idx];
          }
          out[((b * oh + oy) * ow + ox) * c + k] =
            o.mode === 'max' ? best : sum / (plan.countIncludePad ? window : taps.length);
        }
  return { data: out, shape: plan.outShape };
}
