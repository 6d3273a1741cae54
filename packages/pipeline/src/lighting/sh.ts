/**
 * Second-order real spherical harmonics, the lighting model of the fit and of the analytic
 * de-lighting. Order: Y00, Y1-1, Y10, Y11, Y2-2, Y2-1, Y20, Y21, Y22 (x, y, z of a unit normal).
 * Shading is S(n) = Σ_k c_k Y_k(n) per colour channel (27 coefficients, channel-major): the
 * coefficients are fitted directly to observed radiance, so the clamped-cosine convolution and the
 * light's colour are folded into them (Ramamoorthi & Hanrahan 2001).
 */
export const SH_CONSTANTS = [
  0.282095, 0.488603, 0.488603, 0.488603, 1.092548, 1.092548, 0.315392, 1.092548, 0.546274,
];

export function shBasis(
  x: number,
  y: number,
  z: number,
  out: Float64Array | number[] = new Float64Array(9),
): Float64Array | number[] {
  const c = SH_CONSTANTS;
  out[0] = c[0];
  out[1] = c[1] * y;
  out[2] = c[2] * z;
  out[3] = c[3] * x;
  out[4] = c[4] * x * y;
  out[5] = c[5] * y * z;
  out[6] = c[6] * (3 * z * z - 1);
  out[7] = c[7] * x * z;
  out[8] = c[8] * (x * x - y * y);
  return out;
}

/** S(n) for one channel from its 9 coefficients. */
export function shShade(coeffs: ArrayLike<number>, x: number, y: number, z: number, offset = 0): number {
  const b = shBasis(x, y, z);
  let s = 0;
  for (let k = 0; k < 9; k++) s += coeffs[offset + k] * b[k];
  return s;
}
