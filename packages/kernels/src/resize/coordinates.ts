/**
 * How output pixel d maps to a source coordinate along one axis, for each convention:
 *
 * | convention      | linear/cubic source s                  | nearest index                        | matches |
 * | --------------- | -------------------------------------- | ------------------------------------ | ------- |
 * | 'asymmetric'    | d·in/out                               | floor(d·in/out)                      | TF/TF.js resizeBilinear / resizeNearestNeighbor defaults (alignCorners=false, halfPixelCenters=false); Keras UpSampling2D; PyTorch mode='nearest' |
 * | 'half-pixel'    | (d+0.5)·in/out − 0.5                   | floor((d+0.5)·in/out)                | PyTorch F.interpolate(bilinear/bicubic, align_corners=False) with `size`; TF halfPixelCenters=true; PyTorch mode='nearest-exact' |
 * | 'align-corners' | d·(in−1)/(out−1)  (0 when out = 1)     | round-half-up(d·(in−1)/(out−1))      | PyTorch align_corners=True; TF alignCorners=true |
 *
 * Each is expressed as the exact rational (d·a + b) / den so the shader computes it with integer
 * arithmetic and one rounding.
 */
export type CoordinateMode = 'asymmetric' | 'half-pixel' | 'align-corners';

export interface AxisMap {
  a: number;
  b: number;
  den: number;
}

/** Source coordinate (d·a + b) / den for bilinear and bicubic sampling. */
export function linearAxisMap(inSize: number, outSize: number, coordinates: CoordinateMode): AxisMap {
  switch (coordinates) {
    case 'asymmetric':
      return { a: inSize, b: 0, den: outSize };
    case 'half-pixel':
      return { a: 2 * inSize, b: inSize - outSize, den: 2 * outSize };
    case 'align-corners':
      return outSize > 1 ? { a: inSize - 1, b: 0, den: outSize - 1 } : { a: 0, b: 0, den: 1 };
  }
}

/** Nearest source index floor((d·a + b) / den) (before clamping to the last pixel). */
export function nearestAxisMap(inSize: number, outSize: number, coordinates: CoordinateMode): AxisMap {
  switch (coordinates) {
    case 'asymmetric':
      return { a: inSize, b: 0, den: outSize };
    case 'half-pixel':
      return { a: 2 * inSize, b: inSize, den: 2 * outSize };
    case 'align-corners':
      return outSize > 1
        ? { a: 2 * (inSize - 1), b: outSize - 1, den: 2 * (outSize - 1) }
        : { a: 0, b: 0, den: 1 };
  }
}
