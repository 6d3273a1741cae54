import { srgbToLinear } from '../math/colour.ts';
import { shBasis, shShade } from '../lighting/sh.ts';
import { NormalEquations } from '../math/linalg.ts';

// Figures that say how well a de-lighting worked on a photo without truth: the share of texels at a
// clamp, and how much of the albedo the shape's shading could still explain. Also the previous
// de-lighting (texture ÷ max(S(n), 0.35)), kept here only as the comparison these figures are read
// against.

/**
 * Scales fitted SH coefficients so the shading they give averages 1 per channel over the weighted
 * texels. A fit on radiance folds the mean albedo into the coefficients (radiance ≈ albedo · E(n)
 * with albedo unknown): dividing by the raw fit would make every channel's albedo average 1, i.e.
 * grey-white skin. Dividing by the normalised shading removes the shading's variation only.
 */
export function normaliseShading(
  sh: Float32Array,
  normals: Float32Array,
  weights: ArrayLike<number>,
): Float32Array {
  const sums = [0, 0, 0];
  let wsum = 0;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i];
    if (!(w > 0)) continue;
    const [x, y, z] = [normals[3 * i], normals[3 * i + 1], normals[3 * i + 2]];
    for (let c = 0; c < 3; c++) sums[c] += w * shShade(sh, x, y, z, 9 * c);
    wsum += w;
  }
  const out = new Float32Array(27);
  for (let c = 0; c < 3; c++) {
    const mean = wsum > 0 ? sums[c] / wsum : 1;
    const k = mean > 1e-6 ? 1 / mean : 1;
    for (let j = 0; j < 9; j++) out[9 * c + j] = sh[9 * c + j] * k;
  }
  return out;
}

/**
 * The old de-lighting (texture ÷ max(S(n), floor), clamped to [0, 1]; sh normalised to mean 1 over
 * the skin, normaliseShading) and its share of layout texels at a clamp: shading under the floor in
 * some channel (floorShare), albedo above 1 in some channel (rangeShare), either (clampedShare).
 */
export function legacyDelight(
  texture: Float32Array,
  normals: Float32Array,
  layout: ArrayLike<number>,
  sh: ArrayLike<number>,
  floor = 0.35,
): { albedo: Float32Array; clamped: number; clampedShare: number; floorShare: number; rangeShare: number } {
  const texels = layout.length;
  const albedo = new Float32Array(texels * 3);
  const basis = new Float64Array(9);
  let [clamped, atFloor, outOfRange, count] = [0, 0, 0, 0];
  for (let i = 0; i < texels; i++) {
    if (!layout[i]) continue;
    count++;
    shBasis(normals[3 * i], normals[3 * i + 1], normals[3 * i + 2], basis);
    let [low, high] = [false, false];
    for (let c = 0; c < 3; c++) {
      let s = 0;
      for (let k = 0; k < 9; k++) s += sh[9 * c + k] * basis[k];
      if (s < floor) low = true;
      const a = srgbToLinear(texture[3 * i + c]) / Math.max(s, floor);
      if (a > 1) high = true;
      albedo[3 * i + c] = Math.min(1, Math.max(0, a));
    }
    if (low) atFloor++;
    if (high) outOfRange++;
    if (low || high) clamped++;
  }
  const share = (n: number) => (count ? n / count : 0);
  return {
    albedo,
    clamped,
    clampedShare: share(clamped),
    floorShare: share(atFloor),
    rangeShare: share(outOfRange),
  };
}

/**
 * R² of a second-order SH fit of linear albedo [N·3] to the normals over the weighted texels (pooled
 * over the channels): how much of the albedo's variance shading by the shape could explain. A de-lit
 * albedo should leave little for it.
 */
export function shadingR2(albedo: Float32Array, normals: Float32Array, weights: ArrayLike<number>): number {
  const eq = new NormalEquations(9, 3);
  const basis = new Float64Array(9);
  const mean = [0, 0, 0];
  let wsum = 0;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i];
    if (!(w > 0)) continue;
    eq.add(
      shBasis(normals[3 * i], normals[3 * i + 1], normals[3 * i + 2], basis),
      albedo.subarray(3 * i, 3 * i + 3),
      w,
    );
    for (let c = 0; c < 3; c++) mean[c] += w * albedo[3 * i + c];
    wsum += w;
  }
  if (eq.rows < 9) return 0;
  for (let c = 0; c < 3; c++) mean[c] /= wsum;
  const solved = eq.solve(1e-9);
  let res = 0;
  let tot = 0;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i];
    if (!(w > 0)) continue;
    shBasis(normals[3 * i], normals[3 * i + 1], normals[3 * i + 2], basis);
    for (let c = 0; c < 3; c++) {
      let s = 0;
      for (let k = 0; k < 9; k++) s += solved[c][k] * basis[k];
      res += w * (albedo[3 * i + c] - s) ** 2;
      tot += w * (albedo[3 * i + c] - mean[c]) ** 2;
    }
  }
  return tot > 0 ? 1 - res / tot : 0;
}
