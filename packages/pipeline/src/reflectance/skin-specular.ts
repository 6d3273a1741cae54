/**
 * Specular reflectance of facial skin per region: the one table the analytic backend's prior
 * (specular-prior.ts, specular.ts, roughness.ts) takes its means from and the evaluation's procedural
 * subjects (tools/src/eval/subject.ts) draw their values around.
 *
 * Strength is the skin renderer's specular albedo a_s (F0 = 0.028 · a_s / 0.25, skin-brdf.ts); α is
 * GGX α, taken equal to the Beckmann m of Torrance–Sparrow fits (the two lobes agree closely at these
 * widths).
 *
 * What is measured and what is not:
 * - The level: skin's Fresnel reflectance at normal incidence 0.028 (refractive index ≈ 1.4), a_s =
 *   0.25, and the face's average lobe m = 0.3 — the values d'Eon & Luebke ("Advanced Techniques for
 *   Realistic Real-Time Skin Rendering", GPU Gems 3, ch. 14, 2007) take from the Torrance–Sparrow fits
 *   of Weyrich et al. ("Analysis of Human Faces using a Measurement-Based Skin Reflectance Model",
 *   SIGGRAPH 2006; 149 subjects). Weighted by area (cheeks, forehead and the rest of the skin dominate)
 *   the table's means give a_s ≈ 0.25 and α ≈ 0.31.
 * - The order across regions, from the same fits (and Ghosh et al., "Practical Modeling and
 *   Acquisition of Layered Facial Reflectance", SIGGRAPH Asia 2008, whose per-region specular maps show
 *   the same pattern): the oily T-zone — nose, then forehead — reflects most with the narrowest lobe,
 *   the chin less, the cheeks least with the broadest lobe.
 * - Not measured: the per-region ratios (nose 1.3 × the average … cheeks 0.85 ×) and the spreads
 *   between subjects are our reading of that order; the paper's per-region table could not be
 *   retrieved for this work. Spreads: log-normal, 0.25 for strength (Weyrich et al. report large
 *   changes with sebum, sweat and make-up) and 0.12 for α.
 */
export const SKIN_SPECULAR_REGIONS = ['forehead', 'nose', 'cheek', 'chin', 'lips', 'skin'] as const;
export type SkinSpecularRegion = (typeof SKIN_SPECULAR_REGIONS)[number];

export interface RegionSpecular {
  /** Mean specular albedo a_s on the renderer's scale. */
  strength: number;
  /** Mean GGX α. */
  alpha: number;
}

export const SKIN_SPECULAR: Record<SkinSpecularRegion, RegionSpecular> = {
  nose: { strength: 0.33, alpha: 0.24 },
  forehead: { strength: 0.3, alpha: 0.26 },
  chin: { strength: 0.26, alpha: 0.3 },
  cheek: { strength: 0.21, alpha: 0.36 },
  // Lips: a thin, smooth epithelium without sebaceous glands: weaker than the T-zone, a narrow lobe.
  lips: { strength: 0.22, alpha: 0.26 },
  // Skin outside the named regions (temples, jaw, neck, scalp): the face's average.
  skin: { strength: 0.24, alpha: 0.32 },
};

/** Standard deviations between subjects of ln(strength) and ln(α). */
export const SKIN_SPECULAR_SPREAD = { strength: 0.25, alpha: 0.12 };

/** Share of the skin's a_s left on hair-covered parts (brows, stubble): fibres, not a skin surface. */
export const HAIR_SPECULAR_FACTOR = 0.35;

/**
 * Blend of regional values by their weights: the weighted mean of the regions, mixed with the base
 * value by min(1, Σ w) (weights from Gaussian falloffs: 1 at a region's centre).
 */
export function blendRegions(weights: readonly number[], values: readonly number[], base: number): number {
  let total = 0;
  let sum = 0;
  for (let i = 0; i < weights.length; i++) {
    total += weights[i];
    sum += weights[i] * values[i];
  }
  if (total <= 1e-9) return base;
  const share = Math.min(1, total);
  return share * (sum / total) + (1 - share) * base;
}
