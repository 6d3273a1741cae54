import { luminance, srgbToLinear } from '../math/colour.ts';
import { maskedBlur } from './delight.ts';

/**
 * Coverage used where the photo cannot tell the brows from the skin around them (the band's darkest
 * texels within 30 % of that skin: dark skin, fair hair): half the band. The band (hairTexels) is
 * drawn wider than brows are, so neither all hair nor none is the likelier.
 */
export const UNRESOLVED_HAIR_COVERAGE = 0.5;
/** Lowest shading divided out: deeper shade is not told from hair. */
const SHADING_FLOOR = 0.2;
/** Hair/skin luminance ratio above which the band's hair is taken as not resolved. */
const RESOLVED_BELOW = 0.7;

/**
 * Share of each texel of the brow band covered by hair, read from the photo: a texel is a linear mix of
 * the skin around it and the brows' hair, so its luminance over the surrounding skin's, r, unmixes
 * into a coverage c = (1 − r) / (1 − r_hair), with r_hair the band's darkest texels (10th percentile)
 * standing for bare hair. Measured on the lit texture divided by the lighting fit's shading (its SH
 * light and ambient visibility, relative to the skin's mean): the eye sockets' shade under the brows
 * is not hair. Not on the de-lit albedo, whose refinement shrinks fine contrast (brows included)
 * towards the skin's mean.
 *
 * texture: sRGB [S·S·3]; band: 1 on the texels that may hold brows (hairTexels) [S·S]; skin: > 0 on
 * seen bare skin, the reference [S·S]; shading: the fit's shading [S·S] (none: the texture as it is).
 * Returns c in [0, 1] (0 off the band) and r_hair (NaN when the band holds no texel).
 */
export function hairCoverage(
  size: number,
  texture: Float32Array,
  band: ArrayLike<number>,
  skin: ArrayLike<number>,
  shading?: ArrayLike<number>,
): { coverage: Float32Array; hairRatio: number } {
  const texels = size * size;
  const coverage = new Float32Array(texels);
  const lum = new Float32Array(texels);
  for (let i = 0; i < texels; i++)
    lum[i] =
      luminance(
        srgbToLinear(texture[3 * i]),
        srgbToLinear(texture[3 * i + 1]),
        srgbToLinear(texture[3 * i + 2]),
      ) / (shading ? Math.max(SHADING_FLOOR, shading[i]) : 1);
  // The skin around the band: above it the forehead, below it the lids; a 4 % of the layout's side
  // reaches past a brow's height on both.
  const reference = Float32Array.from({ length: texels }, (_, i) => (skin[i] > 0 && !band[i] ? 1 : 0));
  const around = maskedBlur(size, lum, 1, reference, Math.max(2, size / 32));
  const ratios: number[] = [];
  const ratio = new Float32Array(texels);
  for (let i = 0; i < texels; i++)
    if (band[i] && around[i] > 0) {
      ratio[i] = lum[i] / around[i];
      ratios.push(ratio[i]);
    }
  if (!ratios.length) return { coverage, hairRatio: NaN };
  ratios.sort((a, b) => a - b);
  const hairRatio = ratios[Math.floor(0.1 * (ratios.length - 1))];
  for (let i = 0; i < texels; i++) {
    if (!band[i]) continue;
    if (hairRatio > RESOLVED_BELOW || !(around[i] > 0)) coverage[i] = UNRESOLVED_HAIR_COVERAGE;
    else coverage[i] = Math.min(1, Math.max(0, (1 - ratio[i]) / (1 - hairRatio)));
  }
  return { coverage, hairRatio };
}
