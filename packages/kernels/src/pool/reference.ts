import { planPool2d, type Pool2dOptions } from './pool.ts';

/** CPU pooling on a dense NHWC array, written from the definitions (PyTorch AvgPool2d/MaxPool2d, TF 'same'). */
export function pool2dReference(
  x: Float32Array,
  shape: readonly number[],
  o: Pool2dOptions,
): { data: Float32Array; shape: number[] } {
  const plan = planPool2d(shape, o);
  const [, h, w, c] = shape;
  const [n, oh, ow] = plan.outShape;
  const { kh, kw, strideY, strideX } = plan.geometry;
  const [pt, pb, pl, pr] = plan.pads;
  const out = new Float32Array(n * oh * ow * c);
  for (let b = 0; b < n; b++)
    for (let oy = 0; oy < oh; oy++)
      for (let ox = 0; ox < ow; ox++)
        for (let k = 0; k < c; k++) {
          let best = -Infinity;
          let sum = 0;
          let inside = 0;
          let window = 0;
          for (let ky = 0; ky < kh; ky++)
            for (let kx = 0; kx < kw; kx++) {
              const iy = oy * strideY - pt + ky;
              const ix = ox * strideX - pl + kx;
              if (iy >= -pt && iy < h + pb && ix >= -pl && ix < w + pr) window++;
              if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
              const v = x[((b * h + iy) * w + ix) * c + k];
              best = Math.max(best, v);
              sum += v;
              inside++;
            }
          out[((b * oh + oy) * ow + ox) * c + k] =
            o.mode === 'max' ? best : sum / (plan.countIncludePad ? window : inside);
        }
  return { data: out, shape: plan.outShape };
}
