import { NormalEquations } from '../math/linalg.ts';
import type { SpecularBlob } from './analytic.ts';
import { maskedBlur } from './delight.ts';

/**
 * Specular albedo a_s on the renderer's scale (F0 = 0.028 · a_s / 0.25, skin-render/skin-brdf.ts):
 * a prior per facial region, changed only where the photo gives evidence — the highlights that the
 * dichromatic separation took out of the seen skin (delight.ts).
 *
 * Prior. Skin's Fresnel reflectance at normal incidence is ≈ 0.028 (refractive index ≈ 1.4:
 * ((1.4 − 1) / (1.4 + 1))²), a_s = 0.25 on this scale. Weyrich et al. ("Analysis of Human Faces
 * using a Measurement-Based Skin Reflectance Model", SIGGRAPH 2006) report the specular strength
 * varying over facial regions, highest on the nose and forehead and lowest on the cheeks; the
 * surface's specular blobs (reflectance/specular-prior.ts, head/specular-prior.ts) place that order
 * on the layout — relative amplitudes, not the paper's values. Hair-covered parts (brows, and on the
 * face the texels the unwrap found occluded by hair) scatter light off fibres, not a skin surface:
 * BROW_FACTOR of the prior.
 *
 * Evidence. For a GGX lobe (α = 0.3, the renderer's) lit from the SH lighting's dominant direction
 * and seen from the camera, a texel's separated highlight m ≈ κ · a_s · g with g = D(n·h) · (n·l)⁺ /
 * (4 n·v). κ (light strength) is fitted robustly over the skin with the prior as a_s; then each texel's
 * ratio m / (κ · prior · g) moves its a_s on a log scale, weighted by how much the lobe could show
 * there (g / (g + median g): where the lobe is weak the evidence is weak and a_s stays nearer the
 * prior), bounded to [½, 2] of the prior; hair keeps its prior. The ratios are smoothed over
 * ≈ 4 texels first, so single noisy texels do not make spots.
 */
export const BROW_FACTOR = 0.35;
const BASE_SPECULAR = 0.25;
const ALPHA = 0.3;

export interface SpecularInput {
  size: number;
  /** Separated highlight per texel (delight.ts) [S·S]. */
  highlight: Float32Array;
  /** > 0 where the photo shows the texel [S·S]. */
  confidence: Float32Array;
  /** Seen bare skin (the lighting fit's weights) [S·S]. */
  skinWeight: Float32Array;
  /** Model-space unit normals [S·S·3], 0 outside the layout. */
  normals: Float32Array;
  /** 1 where a texel is hair or an occluder over skin rather than skin [S·S]. */
  hair: Uint8Array;
  /** 1 inside the layout [S·S]. */
  layout: Uint8Array;
  prior: SpecularBlob[];
  /** 27 SH coefficients of the fitted light (any scale), for its dominant direction. */
  light: ArrayLike<number>;
  /** Unit direction towards the camera in model space. */
  view: readonly number[];
}

/** The lighting's dominant direction: the luminance-weighted first-order SH band (x, y, z). */
export function dominantDirection(sh: ArrayLike<number>): [number, number, number] {
  const w = [0.2126, 0.7152, 0.0722];
  const d = [0, 0, 0];
  for (let c = 0; c < 3; c++) {
    d[0] += w[c] * sh[9 * c + 3];
    d[1] += w[c] * sh[9 * c + 1];
    d[2] += w[c] * sh[9 * c + 2];
  }
  const l = Math.hypot(d[0], d[1], d[2]) || 1;
  return [d[0] / l, d[1] / l, d[2] / l];
}

/** GGX lobe term D(n·h) · (n·l)⁺ / (4 n·v) for unit n, l, v. */
export function lobe(n: ArrayLike<number>, l: readonly number[], v: readonly number[]): number {
  const nl = n[0] * l[0] + n[1] * l[1] + n[2] * l[2];
  const nv = n[0] * v[0] + n[1] * v[1] + n[2] * v[2];
  if (nl <= 0 || nv <= 0.05) return 0;
  const h = [l[0] + v[0], l[1] + v[1], l[2] + v[2]];
  const hl = Math.hypot(h[0], h[1], h[2]) || 1;
  const nh = (n[0] * h[0] + n[1] * h[1] + n[2] * h[2]) / hl;
  const a2 = ALPHA * ALPHA;
  const dd = nh * nh * (a2 - 1) + 1;
  return ((a2 / (Math.PI * dd * dd)) * nl) / (4 * nv);
}

function priorAt(prior: SpecularBlob[], u: number, v: number): number {
  let p = BASE_SPECULAR;
  for (const b of prior)
    p += b.amplitude * Math.exp(-0.5 * (((u - b.u) / b.radius) ** 2 + ((v - b.v) / b.radius) ** 2));
  return p;
}

function median(values: number[]): number {
  if (!values.length) return 0;
  const s = values.slice().sort((a, b) => a - b);
  return s[s.length >> 1];
}

/** Specular albedo per texel [S·S] in [0, 1], and the evidence figures. */
export function specularAlbedo(inp: SpecularInput): {
  specular: Float32Array;
  stats: { kappa: number; evidenceTexels: number };
} {
  const { size } = inp;
  const texels = size * size;
  const light = dominantDirection(inp.light);
  const prior = new Float32Array(texels);
  const g = new Float32Array(texels);
  for (let i = 0; i < texels; i++) {
    if (!inp.layout[i]) continue;
    const x = i % size;
    const y = (i - x) / size;
    prior[i] = priorAt(inp.prior, (x + 0.5) / size, (y + 0.5) / size) * (inp.hair[i] ? BROW_FACTOR : 1);
    g[i] = lobe(inp.normals.subarray(3 * i, 3 * i + 3), light, inp.view);
  }
  // κ: the median of m / (prior · g) over seen skin where the lobe is strong enough to show anything.
  const gSkin: number[] = [];
  for (let i = 0; i < texels; i++) if (inp.skinWeight[i] > 0 && g[i] > 0) gSkin.push(g[i]);
  const gRef = median(gSkin);
  const ratios: number[] = [];
  for (let i = 0; i < texels; i++)
    if (inp.skinWeight[i] > 0 && g[i] > gRef && inp.highlight[i] > 0)
      ratios.push(inp.highlight[i] / (prior[i] * g[i]));
  const kappa = ratios.length >= 16 ? median(ratios) : 0;
  const logRatio = new Float32Array(texels);
  const weight = new Float32Array(texels);
  let evidenceTexels = 0;
  if (kappa > 0) {
    for (let i = 0; i < texels; i++) {
      if (!(inp.confidence[i] > 0) || inp.hair[i] || g[i] <= 0) continue;
      // A small floor keeps texels without a highlight from pulling a_s to the bound on noise alone.
      const expected = kappa * prior[i] * g[i];
      const r = (inp.highlight[i] + 0.05 * expected) / (1.05 * expected);
      logRatio[i] = Math.log(Math.min(2, Math.max(0.5, r)));
      weight[i] = g[i] / (g[i] + gRef);
      evidenceTexels++;
    }
  }
  const sigma = Math.max(1.5, size / 128);
  const seen = weight.map((w) => (w > 0 ? 1 : 0));
  const smooth = kappa > 0 ? maskedBlur(size, logRatio, 1, weight, sigma) : logRatio;
  const confidence = kappa > 0 ? maskedBlur(size, weight, 1, seen, sigma) : weight;
  const specular = new Float32Array(texels);
  for (let i = 0; i < texels; i++)
    if (inp.layout[i])
      specular[i] = inp.hair[i] ? prior[i] : Math.min(1, prior[i] * Math.exp(smooth[i] * confidence[i]));
  return { specular, stats: { kappa, evidenceTexels } };
}

/**
 * Unit direction towards the camera in model space, from the vertex normals in model space and in the
 * camera frame (which looks along +z).
 */
export function viewDirection(
  modelNormals: Float32Array,
  cameraNormals: Float32Array,
): [number, number, number] {
  // n_cam.z = n_model · d with d the camera's +z in model space: least squares over the vertices.
  const eq = new NormalEquations(3, 1);
  for (let v = 0; v < modelNormals.length / 3; v++)
    eq.add(modelNormals.subarray(3 * v, 3 * v + 3), [cameraNormals[3 * v + 2]]);
  const [d] = eq.solve(1e-9);
  const l = Math.hypot(d[0], d[1], d[2]) || 1;
  return [-d[0] / l, -d[1] / l, -d[2] / l];
}
