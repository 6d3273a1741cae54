import type { SpecularBlob } from './analytic.ts';
import { blendRegions, SKIN_SPECULAR } from './skin-specular.ts';

/** GGX α of skin outside the prior's regions (temples, jaw, neck, ears, the rest of the head). */
export const BASE_SKIN_ALPHA = SKIN_SPECULAR.skin.alpha;

/** Gaussian weight of a prior bump at (u, v): 1 at its centre. */
export function bumpWeight(b: SpecularBlob, u: number, v: number): number {
  return Math.exp(-0.5 * (((u - b.u) / b.radius) ** 2 + ((v - b.v) / b.radius) ** 2));
}

/**
 * Per-texel roughness on the layout, as glTF's perceptual roughness r = √α (the renderer squares it
 * back): the regions' mean α (skin-specular.ts) blended by their bumps, the base skin's elsewhere. A
 * prior, not inferred from the photo: nothing in one photo separates lobe width from specular
 * strength reliably.
 */
export function roughnessPrior(size: number, prior: SpecularBlob[]): Float32Array {
  const alphas = prior.map((b) => b.roughness ?? BASE_SKIN_ALPHA);
  const out = new Float32Array(size * size);
  const w = new Array<number>(prior.length);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const u = (x + 0.5) / size;
      const v = (y + 0.5) / size;
      prior.forEach((b, i) => (w[i] = bumpWeight(b, u, v)));
      out[y * size + x] = Math.sqrt(blendRegions(w, alphas, BASE_SKIN_ALPHA));
    }
  return out;
}
