import { luminance } from '../math/colour.ts';
import { NormalEquations } from '../math/linalg.ts';
import type { SpecularBlob } from './analytic.ts';
import { maskedBlur } from './delight.ts';
import { bumpWeight } from './roughness.ts';
import { blendRegions, HAIR_SPECULAR_FACTOR, SKIN_SPECULAR, SKIN_SPECULAR_SPREAD } from './skin-specular.ts';

/**
 * Specular albedo a_s on the renderer's scale (F0 = 0.028 · a_s / 0.25, skin-render/skin-brdf.ts):
 * the measured prior per facial region, changed only where the photo gives evidence — the highlights
 * that the dichromatic separation took out of the seen skin (delight.ts).
 *
 * Prior. The regions' means of the specular table (skin-specular.ts: skin's F0 of 0.028 on average,
 * the T-zone above it and the cheeks below, after Weyrich et al. 2006), placed on the layout by the
 * surface's bumps (specular-prior.ts, head/specular-prior.ts). Hair (the brows) scatters light off
 * fibres, not a skin surface: a texel whose share c is covered by hair (hair-coverage.ts, from the
 * photo) keeps (1 − c) + c · HAIR_SPECULAR_FACTOR of the prior.
 *
 * Evidence. For a GGX lobe (α = 0.3, the renderer's) lit from the SH lighting's dominant direction
 * and seen from the camera, a texel's separated highlight m ≈ κ · a_s · g with g = D(n·h) · (n·l)⁺ /
 * (4 n·v). κ (light strength) is fitted robustly over the skin with the prior as a_s; then each texel's
 * log ratio ln(m / (κ · prior · g)) is evidence about a_s relative to the prior. One photo cannot tell
 * the light's strength from the skin's overall shininess, so only where the skin is shinier than
 * elsewhere is read from it: the log ratios are centred on their weighted median (the level stays the
 * table's), smoothed over ≈ 4 texels, and shrunk towards the prior as a Gaussian posterior would — by
 * σp² / (σp² + σe²), with σp the table's spread between regions of one face and σe the smoothed
 * evidence's noise (from its differences between mirror-image texels: see below) —
 * and by how much the lobe could show there (g / (g + median g)); bounded to [½, 2] of the prior.
 * Texels mostly covered by hair (c > ½) keep their prior.
 */
export const BROW_FACTOR = HAIR_SPECULAR_FACTOR;
const BASE_SPECULAR = SKIN_SPECULAR.skin.strength;
const ALPHA = 0.3;
/** Spread of ln a_s between the regions of one face, about the table's means (half the spread between subjects). */
const REGIONAL_SPREAD = SKIN_SPECULAR_SPREAD.strength / 2;
/** Smoothed evidence weight (g / (g + median g), blurred) above which a texel counts in a mirror pair. */
const PAIRED = 0.1;

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
  /** Share of each texel covered by hair rather than skin, in [0, 1] [S·S]. */
  hair: ArrayLike<number>;
  /** 1 inside the layout [S·S]. */
  layout: Uint8Array;
  /** Each texel's mirror image across the face's plane of symmetry, −1 where none [S·S]. */
  mirrorOf: Int32Array;
  prior: SpecularBlob[];
  /** 27 SH coefficients of the fitted light (any scale), for its dominant direction. */
  light: ArrayLike<number>;
  /** Unit direction towards the camera in model space. */
  view: readonly number[];
}

/** The lighting's dominant direction: the luminance-weighted first-order SH band (x, y, z). */
export function dominantDirection(sh: ArrayLike<number>): [number, number, number] {
  const band1 = (k: number) => luminance(sh[k], sh[9 + k], sh[18 + k]);
  const d = [band1(3), band1(1), band1(2)];
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
  const w = prior.map((b) => bumpWeight(b, u, v));
  return blendRegions(
    w,
    prior.map((b) => BASE_SPECULAR + b.amplitude),
    BASE_SPECULAR,
  );
}

/** Median of values[i] with weights[i] > 0, each counted by its weight. */
function weightedMedian(values: Float32Array, weights: Float32Array): number {
  const idx: number[] = [];
  let total = 0;
  for (let i = 0; i < values.length; i++)
    if (weights[i] > 0) {
      idx.push(i);
      total += weights[i];
    }
  idx.sort((a, b) => values[a] - values[b]);
  let acc = 0;
  for (const i of idx) {
    acc += weights[i];
    if (acc >= total / 2) return values[i];
  }
  return 0;
}

function median(values: number[]): number {
  if (!values.length) return 0;
  const s = values.slice().sort((a, b) => a - b);
  return s[s.length >> 1];
}

/** Specular albedo per texel [S·S] in [0, 1], and the evidence figures. */
export function specularAlbedo(inp: SpecularInput): {
  specular: Float32Array;
  stats: { kappa: number; evidenceTexels: number; gain: number };
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
    prior[i] = priorAt(inp.prior, (x + 0.5) / size, (y + 0.5) / size) * (1 - (1 - BROW_FACTOR) * inp.hair[i]);
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
      if (!(inp.confidence[i] > 0) || inp.hair[i] > 0.5 || g[i] <= 0) continue;
      // A small floor keeps texels without a highlight from pulling a_s to the bound on noise alone.
      const expected = kappa * prior[i] * g[i];
      const r = (inp.highlight[i] + 0.05 * expected) / (1.05 * expected);
      logRatio[i] = Math.log(Math.min(2, Math.max(0.5, r)));
      weight[i] = g[i] / (g[i] + gRef);
      evidenceTexels++;
    }
  }
  const sigma = Math.max(1.5, size / 128);
  let gain = 0;
  let smooth: Float32Array = logRatio;
  let confidence: Float32Array = weight;
  if (kappa > 0) {
    const centre = weightedMedian(logRatio, weight);
    for (let i = 0; i < texels; i++) if (weight[i] > 0) logRatio[i] -= centre;
    const seen = weight.map((w) => (w > 0 ? 1 : 0));
    smooth = maskedBlur(size, logRatio, 1, weight, sigma);
    confidence = maskedBlur(size, weight, 1, seen, sigma);
    // Noise of the smoothed evidence, from the face's symmetry: the table's regions come in left and
    // right pairs (sebum, sweat and make-up do not take sides), while the light and the errors of the
    // lobe's prediction (an environment is not one light from the SH's dominant direction) do. The
    // smoothed evidence at a texel minus that at its mirror image is then noise, of variance 2σe². The
    // texels' own scatter around the smoothing understates σe wherever texels are finer than the
    // photo's pixels (neighbours share their noise): gain 1.00 on the eval's photos at uv 256, where
    // the evidence did not correlate with the truth. A mean square, not a robust spread: where few
    // texels show a highlight, most pairs agree at the ratio's floor and a median would say no noise.
    // Too few pairs seen on both sides: σe is unknown and the prior stands.
    let [sq, pairs] = [0, 0];
    for (let i = 0; i < texels; i++) {
      const j = inp.mirrorOf[i];
      if (j > i && confidence[i] > PAIRED && confidence[j] > PAIRED)
        [sq, pairs] = [sq + (smooth[i] - smooth[j]) ** 2, pairs + 1];
    }
    if (pairs >= 16) gain = REGIONAL_SPREAD ** 2 / (REGIONAL_SPREAD ** 2 + sq / pairs / 2);
  }
  const specular = new Float32Array(texels);
  const [lo, hi] = [Math.log(0.5), Math.log(2)];
  for (let i = 0; i < texels; i++)
    if (inp.layout[i]) {
      const shift = Math.min(hi, Math.max(lo, smooth[i] * confidence[i] * gain));
      specular[i] = inp.hair[i] > 0.5 ? prior[i] : Math.min(1, prior[i] * Math.exp(shift));
    }
  return { specular, stats: { kappa, evidenceTexels, gain } };
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
