import { CANONICAL_UVS } from '../mesh/canonical-data.ts';
import type { SpecularBlob } from './analytic.ts';

/**
 * Where skin is shinier, as Gaussian bumps placed at FaceMesh landmarks' UVs. Measured facial
 * reflectance (Weyrich et al., "Analysis of Human Faces using a Measurement-Based Skin Reflectance
 * Model", SIGGRAPH 2006) shows the strongest specular reflection on the nose and forehead, less on
 * the chin, least on the cheeks; amplitudes follow that order (relative values, not measurements).
 * The same paper's Torrance–Sparrow fits give the oily T-zone a narrower lobe than the cheeks; the
 * GGX α per region (roughness.ts) follows that order — approximations around d'Eon & Luebke's face
 * average m = 0.3 taken from those fits, not the paper's per-region table.
 */
const REGIONS: { landmark: number; radius: number; amplitude: number; roughness: number }[] = [
  { landmark: 1, radius: 0.05, amplitude: 0.35, roughness: 0.22 }, // nose tip
  { landmark: 6, radius: 0.05, amplitude: 0.3, roughness: 0.24 }, // nose bridge
  { landmark: 151, radius: 0.09, amplitude: 0.28, roughness: 0.25 }, // forehead centre
  { landmark: 108, radius: 0.07, amplitude: 0.18, roughness: 0.27 }, // forehead, left of centre
  { landmark: 337, radius: 0.07, amplitude: 0.18, roughness: 0.27 }, // forehead, right of centre
  { landmark: 152, radius: 0.06, amplitude: 0.15, roughness: 0.29 }, // chin
  { landmark: 50, radius: 0.08, amplitude: 0.05, roughness: 0.38 }, // left cheek
  { landmark: 280, radius: 0.08, amplitude: 0.05, roughness: 0.38 }, // right cheek
];

export function specularPriorForCanonicalFace(): SpecularBlob[] {
  return REGIONS.map((r) => ({
    u: CANONICAL_UVS[2 * r.landmark],
    v: CANONICAL_UVS[2 * r.landmark + 1],
    radius: r.radius,
    amplitude: r.amplitude,
    roughness: r.roughness,
  }));
}
