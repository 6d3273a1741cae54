import { shBasis } from '../lighting/sh.ts';
import { srgbToLinear } from '../math/colour.ts';
import { NormalEquations } from '../math/linalg.ts';

export interface ShFit {
  /** 27 coefficients, channel-major (lighting/sh.ts), linear colour, for model-space normals. */
  coefficients: Float32Array;
  /** Texels used. */
  samples: number;
  /** RMS of linear colour minus the fitted shading over those texels. */
  rms: number;
}

/**
 * Second-order SH lighting by least squares: per colour channel, the 9 coefficients c minimising
 * Σ w·(radiance − Σ c_k Y_k(n))² + ridge·|c|². The albedo is taken as constant (folded into c): the
 * fit is run on skin texels only, where that holds best. Normals are model-space, so the lighting is
 * expressed in the head's frame (the same frame as the normal map the reflectance stage reads).
 *
 * colors: [N·3] sRGB in [0, 1]; normals: [N·3] unit; weights: [N] (0 skips a texel).
 */
export function fitShLighting(
  colors: ArrayLike<number>,
  normals: ArrayLike<number>,
  weights: ArrayLike<number>,
  ridge = 1e-3,
): ShFit {
  const eq = new NormalEquations(9, 3);
  const basis = new Float64Array(9);
  const rgb = [0, 0, 0];
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i];
    if (!(w > 0)) continue;
    shBasis(normals[3 * i], normals[3 * i + 1], normals[3 * i + 2], basis);
    for (let c = 0; c < 3; c++) rgb[c] = srgbToLinear(colors[3 * i + c]);
    eq.add(basis, rgb, w);
  }
  if (eq.rows < 9) throw new RangeError(`fitShLighting: ${eq.rows} texels, need at least 9`);
  // The ridge is relative to the data's scale so that it only steadies directions the normals barely span.
  const scale = (eq.ata[0] + eq.ata[40] + eq.ata[80]) / 3;
  const solved = eq.solve(ridge * scale);
  const coefficients = new Float32Array(27);
  solved.forEach((c, ch) => coefficients.set(c, 9 * ch));
  let sq = 0;
  let wsum = 0;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i];
    if (!(w > 0)) continue;
    shBasis(normals[3 * i], normals[3 * i + 1], normals[3 * i + 2], basis);
    for (let c = 0; c < 3; c++) {
      let s = 0;
      for (let k = 0; k < 9; k++) s += coefficients[9 * c + k] * basis[k];
      sq += w * (srgbToLinear(colors[3 * i + c]) - s) ** 2;
    }
    wsum += 3 * w;
  }
  return { coefficients, samples: eq.rows, rms: Math.sqrt(sq / wsum) };
}
