import { CANONICAL_UVS } from '../mesh/canonical-data.ts';
import type { SpecularBlob } from './analytic.ts';

/**
 * Where skin is shinier, as Gaussian bumps placed at FaceMesh landmarks' UVs. Measured facial
 * reflectance (Weyrich et al., "Analysis of Human Faces using a Measurement-Based Skin Reflectance
 * Model", SIGGRAPH 2006) shows the strongest specular reflection on the nose and forehead, less on
 * the chin, least on the cheeks; amplitudes follow that order (relative values, not measurements).
 */
const REGIONS: { landmark: number; radius: number; amplitude: number }[] = [
  { landmark: 1, radius: 0.05, amplitude: 0.35 }, // nose tip
  { landmark: 6, radius: 0.05, amplitude: 0.3 }, // nose bridge
  { landmark: 151, radius: 0.09, amplitude: 0.28 }, // forehead centre
  { landmark: 108, radius: 0.07, amplitude: 0.18 }, // forehead, left of centre
  { landmark: 337, radius: 0.07, amplitude: 0.18 }, // forehead, right of centre
  { landmark: 152, radius: 0.06, amplitude: 0.15 }, // chin
  { landmark: 50, radius: 0.08, amplitude: 0.05 }, // left cheek
  { landmark: 280, radius: 0.08, amplitude: 0.05 }, // right cheek
];

export function specularPriorForCanonicalFace(): SpecularBlob[] {
  return REGIONS.map((r) => ({
    u: CANONICAL_UVS[2 * r.landmark],
    v: CANONICAL_UVS[2 * r.landmark + 1],
    radius: r.radius,
    amplitude: r.amplitude,
  }));
}
