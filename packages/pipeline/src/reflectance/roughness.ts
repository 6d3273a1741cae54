import type { SpecularBlob } from './analytic.ts';

/**
 * GGX α of skin outside the prior's regions (temples, jaw, neck, ears, the rest of the head): a
 * little above d'Eon & Luebke's face average m = 0.3 (GPU Gems 3 ch. 14, from the Torrance–Sparrow
 * fits of Weyrich et al. 2006), since the regions the prior marks are mostly the shinier T-zone.
 */
export const BASE_SKIN_ALPHA = 0.32;

/**
 * Per-texel roughness on the layout, as glTF's perceptual roughness r = √α (the renderer squares it
 * back): the base α with each region's α blended in by its Gaussian bump (weight 1 at the centre),
 * kept within the range the regions and the base span where bumps overlap. A prior, not inferred
 * from the photo: nothing in one photo separates lobe width from specular strength reliably.
 */
export function roughnessPrior(size: number, prior: SpecularBlob[]): Float32Array {
  const alphas = prior.map((b) => b.roughness ?? BASE_SKIN_ALPHA);
  const lo = Math.min(BASE_SKIN_ALPHA, ...alphas);
  const hi = Math.max(BASE_SKIN_ALPHA, ...alphas);
  const out = new Float32Array(size * size);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const u = (x + 0.5) / size;
      const v = (y + 0.5) / size;
      let alpha = BASE_SKIN_ALPHA;
      prior.forEach((b, i) => {
        const g = Math.exp(-0.5 * (((u - b.u) / b.radius) ** 2 + ((v - b.v) / b.radius) ** 2));
        alpha += g * (alphas[i] - BASE_SKIN_ALPHA);
      });
      out[y * size + x] = Math.sqrt(Math.min(hi, Math.max(lo, alpha)));
    }
  return out;
}
