import { SKIN_LOCUS } from './delight.ts';

/**
 * The grey specular sheen in the mean colour of dark skin, which the highlight separation cannot see
 * (it spreads over the whole face, so the neighbourhood's diffuse hue carries it too). Skin's surface
 * reflection is the same on every skin (F0 ≈ 0.028; Weyrich et al., SIGGRAPH 2006) and has the light's
 * colour, while dark skin's diffuse albedo holds almost no blue (≈ 0.001 at ITA −45° in the two-layer
 * model of Donner & Jensen 2006): in a photo of dark skin the sheen is most of the blue, and dividing
 * it out as albedo turns the skin grey-blue. Past the skin locus's dark end (SKIN_LOCUS, continued
 * along its last segment) a mean colour whose ln(b/g) lies above that line is taken to carry a grey
 * sheen s — the smallest that puts it on the line (bisection); within the table (lighter skin, where
 * the sheen is a few per cent of every channel) a shift across the locus is the light's tint
 * (skinLocusIlluminant) and s is 0. Also 0 when no s below the darkest channel reaches the line.
 * mean: linear RGB of the skin before white balance; returns s in the same units.
 */
export function darkSkinSheen(mean: readonly number[]): number {
  const [a, b] = SKIN_LOCUS.slice(-2);
  const slope = (b[1] - a[1]) / (b[0] - a[0]);
  /** ln(b/g) above the extended locus at this colour's ln(r/g); −1 where it lies within the table. */
  const above = (s: number) => {
    const [r, g, bl] = mean.map((v) => Math.max(v - s, 1e-9));
    const x = Math.log(r / g);
    return x > b[0] ? Math.log(bl / g) - (b[1] + slope * (x - b[0])) : -1;
  };
  if (!(above(0) > 0)) return 0;
  let hi = 0.999 * Math.min(...mean);
  if (above(hi) > 0) return 0;
  let lo = 0;
  for (let it = 0; it < 60; it++) {
    const mid = (lo + hi) / 2;
    if (above(mid) > 0) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
