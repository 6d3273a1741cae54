import { CANONICAL_UVS } from '../mesh/canonical-data.ts';
import type { SpecularBlob } from './analytic.ts';
import { SKIN_SPECULAR, type SkinSpecularRegion } from './skin-specular.ts';

/**
 * Where the facial regions of the specular table (skin-specular.ts) lie, as Gaussian bumps at
 * FaceMesh landmarks' UVs; each bump carries its region's mean a_s (as the amount above the base skin)
 * and α. The order of the list matters to hairTexels (analytic-inputs.ts): nose bridge second,
 * forehead centre third; the cheeks last.
 */
const REGIONS: { landmark: number; radius: number; region: SkinSpecularRegion }[] = [
  { landmark: 1, radius: 0.05, region: 'nose' }, // nose tip
  { landmark: 6, radius: 0.05, region: 'nose' }, // nose bridge
  { landmark: 151, radius: 0.09, region: 'forehead' }, // forehead centre
  { landmark: 108, radius: 0.07, region: 'forehead' }, // forehead, left of centre
  { landmark: 337, radius: 0.07, region: 'forehead' }, // forehead, right of centre
  { landmark: 152, radius: 0.06, region: 'chin' },
  { landmark: 13, radius: 0.035, region: 'lips' }, // upper lip, inner edge
  { landmark: 14, radius: 0.035, region: 'lips' }, // lower lip, inner edge
  { landmark: 50, radius: 0.08, region: 'cheek' }, // left cheek
  { landmark: 280, radius: 0.08, region: 'cheek' }, // right cheek
];

export function specularPriorForCanonicalFace(): SpecularBlob[] {
  return REGIONS.map((r) => ({
    u: CANONICAL_UVS[2 * r.landmark],
    v: CANONICAL_UVS[2 * r.landmark + 1],
    radius: r.radius,
    amplitude: SKIN_SPECULAR[r.region].strength - SKIN_SPECULAR.skin.strength,
    roughness: SKIN_SPECULAR[r.region].alpha,
  }));
}
