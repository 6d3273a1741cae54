import { KernelError } from '../core/errors.ts';

/**
 * How output pixel d maps to a source coordinate along one axis, for each convention (s = out/in, or
 * the caller's scale):
 *
 * | convention             | linear/cubic source x          | nearest index (default rounding) | matches |
 * | ---------------------- | ------------------------------ | -------------------------------- | ------- |
 * | 'asymmetric'           | d/s                            | floor(x)                         | TF/TF.js resizeBilinear / resizeNearestNeighbor defaults (alignCorners=false, halfPixelCenters=false); Keras UpSampling2D; PyTorch mode='nearest' |
 * | 'half-pixel'           | (d+0.5)/s − 0.5                | floor(x + 0.5)                   | PyTorch F.interpolate(bilinear/bicubic, align_corners=False) with `size`; TF halfPixelCenters=true; PyTorch mode='nearest-exact' |
 * | 'pytorch-half-pixel'   | as 'half-pixel'; −0.5 when out = 1 | floor(x + 0.5)               | ONNX pytorch_half_pixel |
 * | 'tf-half-pixel-for-nn' | (d+0.5)/s                      | floor(x)                         | ONNX tf_half_pixel_for_nn |
 * | 'align-corners'        | d·(in−1)/(s·in−1)  (0 when out = 1) | floor(x + 0.5)              | PyTorch align_corners=True; TF alignCorners=true (s·in = out unless a scale is given: ONNX's formula) |
 *
 * Each is expressed as the exact rational (d·a + b) / den so the shader computes it with integer
 * arithmetic and one rounding; a nearest rounding is the same form, floor((d·a' + b') / den').
 */
export type CoordinateMode =
  'asymmetric' | 'half-pixel' | 'pytorch-half-pixel' | 'tf-half-pixel-for-nn' | 'align-corners';

export const COORDINATE_MODES: readonly CoordinateMode[] = [
  'asymmetric',
  'half-pixel',
  'pytorch-half-pixel',
  'tf-half-pixel-for-nn',
  'align-corners',
];

/** How nearest resizing rounds the source coordinate x to a pixel (ONNX's nearest_mode). */
export type NearestRounding = 'floor' | 'ceil' | 'round-prefer-floor' | 'round-prefer-ceil';

export const NEAREST_ROUNDINGS: readonly NearestRounding[] = [
  'floor',
  'ceil',
  'round-prefer-floor',
  'round-prefer-ceil',
];

/** The rounding each convention's nearest mode uses unless told otherwise (the table above). */
export function defaultRounding(coordinates: CoordinateMode): NearestRounding {
  return coordinates === 'asymmetric' || coordinates === 'tf-half-pixel-for-nn'
    ? 'floor'
    : 'round-prefer-ceil';
}

export interface AxisMap {
  a: number;
  b: number;
  den: number;
}

/** A scale out/in as num/den (positive integers). */
export interface Ratio {
  num: number;
  den: number;
}

const gcd = (p: number, q: number): number => (q === 0 ? Math.abs(p) : gcd(q, p % q));

function reduced(m: AxisMap): AxisMap {
  const g = gcd(gcd(Math.abs(m.a), Math.abs(m.b)), m.den) || 1;
  return { a: m.a / g, b: m.b / g, den: m.den / g };
}

/**
 * The simplest fraction within a relative 1e-6 of `scale` (a float32 scale such as 0.6 is 3/5 to 2e-8),
 * by continued fractions with denominators up to 4096, so index products stay small in i32.
 */
export function scaleRatio(scale: number, label = 'resize'): Ratio {
  if (!(scale > 0) || !Number.isFinite(scale))
    throw new KernelError(label, `scale ${scale} must be positive`);
  let [h0, h1, k0, k1] = [0, 1, 1, 0];
  let x = scale;
  for (let i = 0; i < 32; i++) {
    const t = Math.floor(x);
    [h0, h1] = [h1, t * h1 + h0];
    [k0, k1] = [k1, t * k1 + k0];
    if (k1 > 4096) break;
    if (Math.abs(h1 / k1 - scale) <= 1e-6 * scale) return { num: h1, den: k1 };
    if (x === t) break;
    x = 1 / (x - t);
  }
  throw new KernelError(label, `scale ${scale} is not a fraction with a denominator up to 4096`);
}

/** Source coordinate (d·a + b) / den for bilinear and bicubic sampling; `scale` defaults to out/in. */
export function linearAxisMap(
  inSize: number,
  outSize: number,
  coordinates: CoordinateMode,
  scale: Ratio = { num: outSize, den: inSize },
): AxisMap {
  const [p, q] = [scale.num, scale.den];
  switch (coordinates) {
    case 'asymmetric':
      return reduced({ a: q, b: 0, den: p });
    case 'pytorch-half-pixel':
      return outSize === 1 ? { a: 0, b: -1, den: 2 } : reduced({ a: 2 * q, b: q - p, den: 2 * p });
    case 'half-pixel':
      return reduced({ a: 2 * q, b: q - p, den: 2 * p });
    case 'tf-half-pixel-for-nn':
      return reduced({ a: 2 * q, b: q, den: 2 * p });
    case 'align-corners': {
      // d·(in − 1) / (s·in − 1) with s = p/q: ONNX's output width s·in, which is out for a size.
      const den = p * inSize - q;
      return outSize > 1 && den > 0 ? reduced({ a: (inSize - 1) * q, b: 0, den }) : { a: 0, b: 0, den: 1 };
    }
  }
}

/** Nearest source index floor((d·a + b) / den) (before clamping to the image) for a rounding of the source x. */
export function nearestAxisMap(
  inSize: number,
  outSize: number,
  coordinates: CoordinateMode,
  rounding: NearestRounding = defaultRounding(coordinates),
  scale?: Ratio,
): AxisMap {
  const { a, b, den } = linearAxisMap(inSize, outSize, coordinates, scale);
  switch (rounding) {
    case 'floor':
      return { a, b, den };
    case 'ceil':
      return { a, b: b + den - 1, den };
    case 'round-prefer-ceil': // floor(x + 1/2)
      return reduced({ a: 2 * a, b: 2 * b + den, den: 2 * den });
    case 'round-prefer-floor': // ceil(x − 1/2)
      return reduced({ a: 2 * a, b: 2 * b + den - 1, den: 2 * den });
  }
}
