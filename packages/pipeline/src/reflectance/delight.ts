import { linearToSrgb, luminance, srgbToLinear } from '../math/colour.ts';
import { shBasis } from '../lighting/sh.ts';
import { choleskySolve, NormalEquations } from '../math/linalg.ts';
import { median } from '../math/stats.ts';
import { regionalAlbedo } from './regional-albedo.ts';
import { TexelSource } from '../unwrap/texels.ts';

/**
 * De-lighting of the texels the photo shows, on the CPU at the unwrap's size (pure functions on
 * read-back arrays, tested in Node). The model of a seen skin texel's linear radiance:
 *
 *   I_c = a_c · L_c · V^β · E(n) + m · Γ_c
 *
 * with a the diffuse albedo, L the illuminant's colour, V the texel's ambient visibility (the fitted
 * mesh rasterised from many directions), E a second-order SH irradiance (Ramamoorthi & Hanrahan 2001)
 * that may not go negative in any direction, m ≥ 0 the specular reflection and Γ the illuminant's
 * chromaticity (dichromatic reflection: Shafer, "Using Color to Separate Reflection Components",
 * 1985). β ∈ {0, ½, 1} is picked by the robust residual: a photo lit without occlusion (a rendering)
 * is not made to carry a darkening it does not show.
 */

/** Visibility exponents tried; the one whose robust fit leaves the smallest residual is kept. */
const VISIBILITY_EXPONENTS = [0, 0.5, 1];
/** Shading (relative to the skin's mean) below which division is unreliable: such texels borrow their mirror's albedo. */
export const SHADING_FLOOR = 0.2;

export interface DelightInput {
  size: number;
  /** Completed texture, sRGB [S·S·3]. */
  texture: Float32Array;
  /** Photo colour where seen, sRGB [S·S·3]. */
  observed: Float32Array;
  /** > 0 where the photo shows the texel [S·S]. */
  confidence: Float32Array;
  /** Weights of the lighting fit: seen bare skin, occluders already removed [S·S]. */
  skinWeight: Float32Array;
  /** Model-space unit normals, 0 outside the layout [S·S·3]. */
  normals: Float32Array;
  /** Ambient visibility in [0, 1] per texel [S·S]. */
  visibility: Float32Array;
  /** TexelSource per texel [S·S]. */
  source: Uint8Array;
  /** Texel index of each texel's mirror image, −1 where it has none [S·S]. */
  mirrorOf: Int32Array;
  /** 1 where the completion gave the region's fill colour outright [S·S]. */
  filled: Uint8Array;
  /** 1 where a highlight can be told from the diffuse colour: skin and lips, not eyes or teeth [S·S]. */
  separable: Uint8Array;
  /** The fill's skin tone (sRGB): the fill's colours are given for it. */
  skinTone: readonly number[];
  /** 1 on texels of a neutral reflector, the sclera (eyeball texels; iris and glints are sorted out) [S·S]. */
  neutral?: Uint8Array;
  /** Divide the albedo by the photo's level read off the skin's hue (skinLevel); default off. */
  levelFromSkinHue?: boolean;
  /**
   * Model-space positions (cm) per texel [S·S·3]: with them, filled skin texels take the albedo of
   * the seen skin around them (regionalAlbedo, σ REGIONAL_SIGMA_CM) instead of the skin's median.
   */
  positions?: Float32Array;
}

/** Reach of the regional colour carried onto unseen skin (cm): about a facial region's size. */
export const REGIONAL_SIGMA_CM = 3;

export interface LightingFit {
  /** 27 SH coefficients (channel-major) of L_c·ā_c·E(n), fitted with V^β folded in. */
  coefficients: Float64Array;
  beta: number;
  /** Robust scale (1.4826 · MAD) of the relative luminance residual over the skin. */
  sigma: number;
  /** Final IRLS weights [S·S]. */
  weights: Float32Array;
}

export interface DelightResult {
  /** Linear diffuse albedo for every texel of the layout [S·S·3] (clamped to [0, 1]). */
  albedo: Float32Array;
  /** albedo / linear(texture) per channel [S·S·3]: what carries the de-lighting to an upsampled texture. */
  ratio: Float32Array;
  /** 1 on texels whose albedo was de-lit from the photo (the rest was carried from elsewhere) [S·S]. */
  delit: Uint8Array;
  /** Separated specular reflection m (linear radiance, skin-mean shading units) [S·S]. */
  highlight: Float32Array;
  /** The shading divided out, relative to the skin's mean (luminance) [S·S]. */
  shading: Float32Array;
  lighting: LightingFit;
  /** Illuminant colour the albedo was white-balanced by, luminance 1 (linear RGB): the skin locus's estimate. */
  illuminant: [number, number, number];
  /** Colour of the separated highlights, Γ (luminance 1): the sclera's and the highlights' colour where seen, blended with the skin locus's. */
  specularColour: [number, number, number];
  /** The sclera's illuminant estimate (luminance 1) and how many texels gave it; absent when too few were seen. */
  neutralIlluminant?: { rgb: [number, number, number]; texels: number };
  /** The highlights' illuminant estimate (luminance 1) and how many texels gave it; absent when too few. */
  highlightIlluminant?: { rgb: [number, number, number]; texels: number };
  /**
   * The photo's level the albedo was divided by: skinLevel (the skin locus's lightness for the skin's
   * hue) to the neutral references' weight n / (n + 16), with `levelFromSkinHue`; else 1.
   */
  level: number;
  stats: DelightStats;
}

export interface DelightStats {
  layout: number;
  /** Layout texels where an albedo channel left [0, 1] or the shading fell under the floor. */
  clamped: number;
  clampedShare: number;
  /** Seen texels under the shading floor that took their mirror's albedo. */
  borrowed: number;
  /** Seen texels under the shading floor without a de-lit mirror: scaled by their neighbours' ratio. */
  undelit: number;
  /** Seen texels in a cast shadow (far darker than their de-lit mirror image) that took its albedo. */
  shadowed: number;
  /** Seen skin texels with a separated highlight. */
  highlights: number;
}

/** Fibonacci directions over the sphere: where the fitted irradiance must not be negative. */
export function sphereGrid(n: number): number[][] {
  const out: number[][] = [];
  const golden = Math.PI * (3 - Math.sqrt(5));
  for (let i = 0; i < n; i++) {
    const y = 1 - (2 * (i + 0.5)) / n;
    const r = Math.sqrt(1 - y * y);
    out.push([Math.cos(golden * i) * r, y, Math.sin(golden * i) * r]);
  }
  return out;
}

/** Directions of the light's non-negative lobes. */
const LIGHT_DIRECTIONS = sphereGrid(64);
/** Clamped-cosine convolution per SH band (Ramamoorthi & Hanrahan 2001): π, 2π/3, π/4. */
const BAND_SCALE = [Math.PI, ...Array(3).fill((2 * Math.PI) / 3), ...Array(5).fill(Math.PI / 4)];
/** 9 × J: the order-2 irradiance of a unit light from each direction, as SH coefficients. */
const LOBES = (() => {
  const m = new Float64Array(9 * LIGHT_DIRECTIONS.length);
  const b = new Float64Array(9);
  LIGHT_DIRECTIONS.forEach((d, j) => {
    shBasis(d[0], d[1], d[2], b);
    for (let k = 0; k < 9; k++) m[k * LIGHT_DIRECTIONS.length + j] = BAND_SCALE[k] * b[k];
  });
  return m;
})();

/**
 * Non-negative least squares (Lawson & Hanson, "Solving Least Squares Problems", 1974, ch. 23) on
 * normal equations G w = h of size J.
 */
export function nnls(G: Float64Array, h: Float64Array, J: number): Float64Array {
  const w = new Float64Array(J);
  const passive = new Uint8Array(J);
  const tol = 1e-10 * Math.max(1e-30, ...Array.from({ length: J }, (_, j) => Math.abs(G[j * J + j])));
  const solvePassive = () => {
    const idx = [...passive.keys()].filter((j) => passive[j]);
    const n = idx.length;
    const a = new Float64Array(n * n);
    const b = new Float64Array(n);
    idx.forEach((p, r) => {
      b[r] = h[p];
      idx.forEach((q, c) => (a[r * n + c] = G[p * J + q]));
    });
    const z = new Float64Array(J);
    const x = choleskySolve(a, b, n);
    idx.forEach((p, r) => (z[p] = x[r]));
    return { idx, z };
  };
  for (let outer = 0; outer < 3 * J; outer++) {
    let best = -1;
    let bestGrad = tol;
    for (let j = 0; j < J; j++) {
      if (passive[j]) continue;
      let g = h[j];
      for (let k = 0; k < J; k++) g -= G[j * J + k] * w[k];
      if (g > bestGrad) [best, bestGrad] = [j, g];
    }
    if (best < 0) break;
    passive[best] = 1;
    for (let inner = 0; inner < J; inner++) {
      const { idx, z } = solvePassive();
      if (idx.every((p) => z[p] > 0)) {
        w.set(z);
        break;
      }
      let alpha = Infinity;
      for (const p of idx) if (z[p] <= 0) alpha = Math.min(alpha, w[p] / (w[p] - z[p]));
      for (const p of idx) {
        w[p] += alpha * (z[p] - w[p]);
        if (w[p] <= 1e-15) {
          w[p] = 0;
          passive[p] = 0;
        }
      }
    }
  }
  return w;
}

/**
 * The SH irradiance (27 coefficients) of the best non-negative mix of lights from LIGHT_DIRECTIONS:
 * the data's 9 × 9 normal equations pulled back onto the J lobes (G = Mᵀ A M, h = Mᵀ b), so the cost
 * does not grow with the texel count. An irradiance made this way is that of a light that is nowhere
 * negative.
 */
function nonNegativeLight(eq: NormalEquations, ridge: number): Float64Array {
  const J = LIGHT_DIRECTIONS.length;
  const M = LOBES;
  const AM = new Float64Array(9 * J);
  for (let k = 0; k < 9; k++)
    for (let j = 0; j < J; j++) {
      let s = 0;
      for (let l = 0; l < 9; l++) s += eq.ata[k * 9 + l] * M[l * J + j];
      AM[k * J + j] = s;
    }
  const G = new Float64Array(J * J);
  for (let i = 0; i < J; i++)
    for (let j = 0; j < J; j++) {
      let s = 0;
      for (let k = 0; k < 9; k++) s += M[k * J + i] * AM[k * J + j];
      G[i * J + j] = s + (i === j ? ridge : 0);
    }
  const out = new Float64Array(27);
  for (let c = 0; c < 3; c++) {
    const h = new Float64Array(J);
    for (let j = 0; j < J; j++) for (let k = 0; k < 9; k++) h[j] += M[k * J + j] * eq.atb[c][k];
    const w = nnls(G, h, J);
    for (let k = 0; k < 9; k++) {
      let s = 0;
      for (let j = 0; j < J; j++) s += M[k * J + j] * w[j];
      out[9 * c + k] = s;
    }
  }
  return out;
}

/**
 * Robust lighting: iteratively reweighted least squares with Tukey's biweight on the relative
 * luminance residual (c = 4.685 robust σ), so highlights, cast shadows and stray hair stop pulling the
 * fit; each solve is over non-negative lights from 64 directions (nonNegativeLight). `sigma` is the
 * robust residual of the final fit. linear: [N·3] linear radiance; weights [N].
 */
export function fitRobustLighting(
  linear: Float32Array,
  normals: Float32Array,
  visibility: Float32Array,
  weights: Float32Array,
  beta: number,
  iterations = 6,
): LightingFit {
  const n = weights.length;
  const w = Float32Array.from(weights);
  const basis = new Float64Array(9);
  const rows = (i: number) => {
    shBasis(normals[3 * i], normals[3 * i + 1], normals[3 * i + 2], basis);
    const v = beta === 0 ? 1 : Math.max(visibility[i], 1e-3) ** beta;
    for (let k = 0; k < 9; k++) basis[k] *= v;
    return basis;
  };
  let coefficients: Float64Array = new Float64Array(27);
  let sigma = 0;
  const shade = (c: number, b: ArrayLike<number>) => {
    let s = 0;
    for (let k = 0; k < 9; k++) s += coefficients[9 * c + k] * b[k];
    return s;
  };
  const system = () => {
    const eq = new NormalEquations(9, 3);
    const rgb = [0, 0, 0];
    for (let i = 0; i < n; i++) {
      if (!(w[i] > 0)) continue;
      for (let c = 0; c < 3; c++) rgb[c] = linear[3 * i + c];
      eq.add(rows(i), rgb, w[i]);
    }
    if (eq.rows < 9)
      throw new RangeError(`fitRobustLighting: ${eq.rows} texels with weight, need at least 9`);
    return { eq, ridge: (1e-3 * (eq.ata[0] + eq.ata[40] + eq.ata[80])) / 3 };
  };
  const solve = (eq: NormalEquations, ridge: number) => nonNegativeLight(eq, ridge);
  const rel = new Float32Array(n);
  /** Relative luminance residual per texel; sets sigma to its robust scale (1.4826 · MAD). */
  const residual = () => {
    const abs: number[] = [];
    for (let i = 0; i < n; i++) {
      if (!(weights[i] > 0)) continue;
      const b = rows(i);
      const s = luminance(shade(0, b), shade(1, b), shade(2, b));
      const y = luminance(linear[3 * i], linear[3 * i + 1], linear[3 * i + 2]);
      rel[i] = (y - s) / Math.max(s, 1e-4);
      abs.push(Math.abs(rel[i]));
    }
    sigma = Math.max(1.4826 * median(abs), 1e-3);
    return rel;
  };
  for (let it = 0; it < iterations; it++) {
    const { eq, ridge } = system();
    coefficients = solve(eq, ridge);
    if (it === iterations - 1) break;
    const rel = residual();
    const c = 4.685 * sigma;
    for (let i = 0; i < n; i++) {
      if (!(weights[i] > 0)) continue;
      const u = rel[i] / c;
      w[i] = Math.abs(u) < 1 ? weights[i] * (1 - u * u) ** 2 : 0;
    }
  }
  residual();
  return { coefficients, beta, sigma, weights: w };
}

/**
 * The skin locus in log chromaticity (ln r/g, ln b/g) of linear sRGB: diffuse albedos of the
 * two-layer melanin/haemoglobin skin model of Donner & Jensen ("A Spectral BSSRDF for Shading Human
 * Skin", EGSR 2006; melanin absorption after Jacques), 0.4 % blood, for ITA° 70, 55, 40, 25, 10 and
 * −5 (melanin 0.1 % … 5.7 %). Darker skin continues the last segment's direction.
 */
export const SKIN_LOCUS: readonly [number, number][] = [
  [0.281, -0.215],
  [0.325, -0.31],
  [0.405, -0.487],
  [0.507, -0.721],
  [0.652, -1.09],
  [0.881, -1.818],
];

/**
 * Half-width of the skin locus across its direction, in log chromaticity: the same model with 0.2 % and
 * 0.8 % blood lies 0.2–0.3 apart at equal ITA, so a colour within 0.15 of the line is plain skin.
 */
export const SKIN_LOCUS_HALF_WIDTH = 0.15;

/**
 * Where a colour lies against the skin locus in log chromaticity: its offset across the nearest
 * segment (the end segments extended), how far it lies beyond either end, and beyond the light end.
 */
export function locusOffset(colour: readonly number[]): {
  off: number[];
  beyond: number;
  beyondLight: number;
} {
  const [r, g, b] = colour.map((v) => Math.max(v, 1e-6));
  const p = [Math.log(r / g), Math.log(b / g)];
  let best = { d2: Infinity, off: [0, 0], beyond: 0, beyondLight: 0 };
  for (let i = 0; i + 1 < SKIN_LOCUS.length; i++) {
    const a = SKIN_LOCUS[i];
    const e = SKIN_LOCUS[i + 1];
    const dir = [e[0] - a[0], e[1] - a[1]];
    const len2 = dir[0] ** 2 + dir[1] ** 2;
    const t = ((p[0] - a[0]) * dir[0] + (p[1] - a[1]) * dir[1]) / len2;
    const tc = Math.min(1, Math.max(0, t));
    const beyond =
      (i === 0 && t < 0 ? -t : i + 2 === SKIN_LOCUS.length && t > 1 ? t - 1 : 0) * Math.sqrt(len2);
    const along = i === 0 && t < 0 ? t : i + 2 === SKIN_LOCUS.length && t > 1 ? t : tc;
    const off = [p[0] - (a[0] + along * dir[0]), p[1] - (a[1] + along * dir[1])];
    const d2 = (p[0] - (a[0] + tc * dir[0])) ** 2 + (p[1] - (a[1] + tc * dir[1])) ** 2;
    if (d2 < best.d2) best = { d2, off, beyond, beyondLight: i === 0 && t < 0 ? beyond : 0 };
  }
  return { off: best.off, beyond: best.beyond, beyondLight: best.beyondLight };
}

/**
 * A neutral reference is believed only if the skin it white-balances stays a skin colour: within
 * twice the locus band of the locus (across it, or beyond its light end: no skin is lighter; past
 * the dark end the locus is not known and only the offset across its extension counts). (On a real photo the eyeball texels of a slightly misfitted eye
 * hold eyelid skin, whose warm colour would otherwise be taken for the light's.)
 */
export function consistentWithSkin(
  meanSkin: readonly number[],
  neutral: { rgb: readonly number[] } | undefined,
): boolean {
  if (!neutral) return false;
  const { off, beyondLight } = locusOffset(meanSkin.map((v, c) => v / neutral.rgb[c]));
  return Math.hypot(off[0], off[1], beyondLight) <= 2 * SKIN_LOCUS_HALF_WIDTH;
}

/**
 * White balance with a skin-locus prior: the skin's mean colour is the illuminant's colour times an
 * albedo on the skin locus. A shift along the locus is read as skin tone (it cannot be told from a
 * tint there); the part of the shift across it that leaves the locus's band (SKIN_LOCUS_HALF_WIDTH)
 * is the illuminant, halved (an equal-weight prior that light is neutral) and bounded to ±0.3 in log
 * chromaticity. Beyond the table's ends (ITA above 70° or below −5°, where dark skin's blue channel
 * carries little) the locus is not known: the estimate fades to neutral within 0.2 past the end.
 * Returns the illuminant, luminance 1.
 */
export function skinLocusIlluminant(meanSkin: readonly number[]): [number, number, number] {
  const best = locusOffset(meanSkin);
  const across = Math.hypot(best.off[0], best.off[1]);
  const keep = across > SKIN_LOCUS_HALF_WIDTH ? (across - SKIN_LOCUS_HALF_WIDTH) / across : 0;
  const fade = Math.max(0, 1 - best.beyond / 0.2);
  const bound = (x: number) => Math.max(-0.3, Math.min(0.3, 0.5 * keep * fade * x));
  const light = [Math.exp(bound(best.off[0])), 1, Math.exp(bound(best.off[1]))];
  const y = luminance(light[0], light[1], light[2]);
  return [light[0] / y, light[1] / y, light[2] / y];
}

/**
 * Luminance of skin's albedo along its locus, against ln(r/g) of the albedo: the same two-layer model
 * (Donner & Jensen 2006, 0.4 % blood) from ITA° 64 to −65 (melanin 0.1 % … 20 %). Melanin sets both
 * the hue and the lightness of skin, so a white-balanced skin colour says how light the skin is — what
 * the photo's exposure cannot (light strength and albedo only come as a product).
 */
export const SKIN_LOCUS_LUMINANCE: readonly [number, number][] = [
  [0.281, 0.466],
  [0.325, 0.431],
  [0.405, 0.375],
  [0.507, 0.312],
  [0.652, 0.239],
  [0.881, 0.156],
  [1.224, 0.0801],
  [1.522, 0.0446],
  [1.812, 0.0252],
  [2.14, 0.0135],
];

/** The locus's albedo luminance at ln(r/g) = x (log-linear between entries, held at the ends). */
export function locusLuminance(x: number): number {
  const t = SKIN_LOCUS_LUMINANCE;
  if (x <= t[0][0]) return t[0][1];
  for (let i = 1; i < t.length; i++)
    if (x <= t[i][0]) {
      const f = (x - t[i - 1][0]) / (t[i][0] - t[i - 1][0]);
      return Math.exp((1 - f) * Math.log(t[i - 1][1]) + f * Math.log(t[i][1]));
    }
  return t[t.length - 1][1];
}

/** Bounds of the exposure correction: the photo's own level is kept within a factor of 2.5. */
export const LEVEL_BOUNDS: readonly [number, number] = [0.4, 2.5];

/**
 * The photo's level relative to the skin's: the white-balanced mean skin colour's luminance over the
 * luminance the skin locus gives skin of its ln(r/g) (the albedo is divided by it), within LEVEL_BOUNDS.
 */
export function skinLevel(meanSkin: readonly number[], illuminant: readonly number[]): number {
  const a = [0, 1, 2].map((c) => Math.max(meanSkin[c] / illuminant[c], 1e-6));
  const level = luminance(a[0], a[1], a[2]) / locusLuminance(Math.log(a[0] / a[1]));
  return Math.min(LEVEL_BOUNDS[1], Math.max(LEVEL_BOUNDS[0], level));
}

/** Neutral-reference texels needed for their colour to count as much as the skin locus's estimate. */
export const NEUTRAL_HALF_WEIGHT = 16;

/**
 * The illuminant's colour from the sclera, a reflector close to white over the visible spectrum: its
 * shading-free colour (radiance over the fitted shading, which the skin's division shares) is the
 * illuminant's colour times a grey. Of the seen eyeball texels' luminance the 35th–75th percentile
 * is kept: below it the iris, pupil, lashes and eyelid shadows, above it the wet surface's
 * reflections of the environment. Undefined with fewer than 12 such texels, or when the colour is
 * too far from grey for a light (more than 0.5 in log chromaticity). Luminance 1.
 */
export function neutralIlluminant(
  shadingFree: Float32Array,
  texels: number[],
): { rgb: [number, number, number]; texels: number } | undefined {
  const order = texels
    .map((i) => ({ i, y: luminance(shadingFree[3 * i], shadingFree[3 * i + 1], shadingFree[3 * i + 2]) }))
    .filter((t) => t.y > 0)
    .sort((a, b) => a.y - b.y);
  const kept = order.slice(Math.floor(order.length * 0.35), Math.ceil(order.length * 0.75));
  if (kept.length < 12) return undefined;
  const sum = [0, 0, 0];
  for (const { i } of kept) for (let c = 0; c < 3; c++) sum[c] += shadingFree[3 * i + c];
  const [r, g, b] = sum.map((v) => Math.max(v, 1e-9));
  if (Math.abs(Math.log(r / g)) > 0.5 || Math.abs(Math.log(b / g)) > 0.5) return undefined;
  const y = luminance(r, g, b);
  return { rgb: [r / y, g / y, b / y], texels: kept.length };
}

/**
 * The skin locus's estimate and the neutral references' (poolNeutral), blended in log chromaticity:
 * the references' weight is n / (n + NEUTRAL_HALF_WEIGHT) for n texels (the skin locus cannot tell a
 * tint along the locus from skin tone; a white reflector or a highlight can). Luminance 1.
 */
export function blendIlluminants(
  locus: readonly number[],
  neutral: { rgb: readonly number[]; texels: number } | undefined,
): [number, number, number] {
  if (!neutral) return [locus[0], locus[1], locus[2]];
  const w = neutral.texels / (neutral.texels + NEUTRAL_HALF_WEIGHT);
  const mix = (c: number) =>
    Math.exp((1 - w) * Math.log(locus[c] / locus[1]) + w * Math.log(neutral.rgb[c] / neutral.rgb[1]));
  const light = [mix(0), 1, mix(2)];
  const y = luminance(light[0], light[1], light[2]);
  return [light[0] / y, light[1] / y, light[2] / y];
}

/**
 * The illuminant's colour from the highlights: by the dichromatic model a highlight adds light of
 * the illuminant's own colour to the skin's diffuse colour. Per texel the excess over the expected
 * diffuse radiance p (the neighbourhood's shading-free hue times the texel's shading), less the
 * typical excess (median), relative to p; texels whose excess is above four robust spreads (1.4826 ·
 * MAD) are highlights, and their excesses summed, each weighted by its strength, give the colour.
 * Undefined with fewer than 8 such texels or a colour too far from grey for a light. Luminance 1.
 */
export function highlightIlluminant(
  radiance: Float32Array,
  predicted: Float32Array,
  texels: number[],
): { rgb: [number, number, number]; texels: number } | undefined {
  const rel = texels.map((i) => {
    const p = luminance(predicted[3 * i], predicted[3 * i + 1], predicted[3 * i + 2]);
    const y = luminance(radiance[3 * i], radiance[3 * i + 1], radiance[3 * i + 2]);
    return p > 1e-6 ? (y - p) / p : 0;
  });
  const offset = median(rel);
  const spread = 1.4826 * median(rel.map((r) => Math.abs(r - offset)));
  const sum = [0, 0, 0];
  let n = 0;
  texels.forEach((i, k) => {
    const strength = rel[k] - offset;
    if (!(strength > 4 * spread) || spread <= 0) return;
    n++;
    for (let c = 0; c < 3; c++)
      sum[c] += strength * (radiance[3 * i + c] - (1 + offset) * predicted[3 * i + c]);
  });
  if (n < 8) return undefined;
  const [r, g, b] = sum.map((v) => Math.max(v, 1e-9));
  if (Math.abs(Math.log(r / g)) > 0.5 || Math.abs(Math.log(b / g)) > 0.5) return undefined;
  const y = luminance(r, g, b);
  return { rgb: [r / y, g / y, b / y], texels: n };
}

/**
 * Neutral references of the light pooled in log chromaticity by texel count, a highlight texel
 * counting half a sclera texel (its excess still carries some of the skin's colour). Undefined when
 * none is given.
 */
export function poolNeutral(
  sclera: { rgb: readonly number[]; texels: number } | undefined,
  highlights: { rgb: readonly number[]; texels: number } | undefined,
): { rgb: [number, number, number]; texels: number } | undefined {
  const parts = [
    sclera && { ...sclera, weight: sclera.texels },
    highlights && { ...highlights, weight: highlights.texels / 2 },
  ].filter((p) => p !== undefined);
  if (!parts.length) return undefined;
  const total = parts.reduce((a, p) => a + p.weight, 0);
  const mix = (c: number) =>
    Math.exp(parts.reduce((a, p) => a + (p.weight / total) * Math.log(p.rgb[c] / p.rgb[1]), 0));
  const light = [mix(0), 1, mix(2)];
  const y = luminance(light[0], light[1], light[2]);
  return { rgb: [light[0] / y, light[1] / y, light[2] / y], texels: total };
}

/**
 * Separable Gaussian blur of `values` [N·C] over the texels with weight > 0 (normalised convolution:
 * texels without weight neither give nor, where no neighbour has weight, receive a value).
 */
export function maskedBlur(
  size: number,
  values: Float32Array,
  channels: number,
  weights: Float32Array,
  sigma: number,
): Float32Array {
  const r = Math.ceil(3 * sigma);
  const k = Float64Array.from({ length: 2 * r + 1 }, (_, i) => Math.exp(-0.5 * ((i - r) / sigma) ** 2));
  const c1 = channels + 1;
  const line = c1 * size;
  const cur = new Float32Array(size * size * c1);
  for (let i = 0; i < size * size; i++) {
    const w = weights[i] > 0 ? weights[i] : 0;
    for (let c = 0; c < channels; c++) cur[c1 * i + c] = values[channels * i + c] * w;
    cur[c1 * i + channels] = w;
  }
  // Each sum runs over its taps in order in float32 (adding into a Float32Array), skipping taps
  // without weight. Both passes scatter from the texels with weight, in order, into the texels they
  // reach: each output still takes its taps in order, and texels without weight cost nothing (most
  // callers blur a mask of a third to a half of the layout).
  const rowPass = new Float32Array(cur.length);
  for (let y = 0; y < size; y++) {
    const row = y * line;
    for (let xs = 0; xs < size; xs++) {
      const src = row + xs * c1;
      if (cur[src + channels] === 0) continue;
      const from = Math.max(0, xs - r);
      const to = Math.min(size - 1, xs + r);
      // Tap index of the first output: the kernel's entry for the offset source − output.
      const tap = xs - from + r;
      if (c1 === 4) {
        const v0 = cur[src];
        const v1 = cur[src + 1];
        const v2 = cur[src + 2];
        const v3 = cur[src + 3];
        for (let o = row + from * 4, t = tap, end = row + to * 4; o <= end; o += 4, t--) {
          const kw = k[t];
          rowPass[o] += kw * v0;
          rowPass[o + 1] += kw * v1;
          rowPass[o + 2] += kw * v2;
          rowPass[o + 3] += kw * v3;
        }
      } else if (c1 === 2) {
        const v0 = cur[src];
        const v1 = cur[src + 1];
        for (let o = row + from * 2, t = tap, end = row + to * 2; o <= end; o += 2, t--) {
          const kw = k[t];
          rowPass[o] += kw * v0;
          rowPass[o + 1] += kw * v1;
        }
      } else {
        for (let o = row + from * c1, t = tap, end = row + to * c1; o <= end; o += c1, t--)
          for (let c = 0; c < c1; c++) rowPass[o + c] += k[t] * cur[src + c];
      }
    }
  }
  // Columns: each source row, in order, into the rows it reaches, over its texels with weight only.
  const colPass = new Float32Array(rowPass.length);
  const weighted = new Int32Array(size);
  for (let ys = 0; ys < size; ys++) {
    const src = ys * line;
    let n = 0;
    for (let x = 0; x < line; x += c1) if (rowPass[src + x + channels] !== 0) weighted[n++] = x;
    if (!n) continue;
    for (let yo = Math.max(0, ys - r); yo <= Math.min(size - 1, ys + r); yo++) {
      const kw = k[ys - yo + r];
      const o = yo * line;
      if (c1 === 4) {
        for (let m = 0; m < n; m++) {
          const x = weighted[m];
          colPass[o + x] += kw * rowPass[src + x];
          colPass[o + x + 1] += kw * rowPass[src + x + 1];
          colPass[o + x + 2] += kw * rowPass[src + x + 2];
          colPass[o + x + 3] += kw * rowPass[src + x + 3];
        }
      } else if (c1 === 2) {
        for (let m = 0; m < n; m++) {
          const x = weighted[m];
          colPass[o + x] += kw * rowPass[src + x];
          colPass[o + x + 1] += kw * rowPass[src + x + 1];
        }
      } else {
        for (let m = 0; m < n; m++)
          for (let c = 0; c < c1; c++) colPass[o + weighted[m] + c] += kw * rowPass[src + weighted[m] + c];
      }
    }
  }
  const out = new Float32Array(size * size * channels);
  for (let i = 0; i < size * size; i++) {
    const w = colPass[c1 * i + channels];
    if (w > 1e-8) for (let c = 0; c < channels; c++) out[channels * i + c] = colPass[c1 * i + c] / w;
  }
  return out;
}

/**
 * Per texel, the least-squares split of radiance I (3) into k · d + m · Γ, with d the expected diffuse
 * radiance direction and Γ the illuminant's colour: k and m, unconstrained (m's spread over texels
 * without highlights is the split's noise).
 */
export function dichromaticSplit(
  I: ArrayLike<number>,
  d: ArrayLike<number>,
  gamma: ArrayLike<number>,
): { k: number; m: number } {
  const dd = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
  const gg = gamma[0] * gamma[0] + gamma[1] * gamma[1] + gamma[2] * gamma[2];
  const dg = d[0] * gamma[0] + d[1] * gamma[1] + d[2] * gamma[2];
  const di = d[0] * I[0] + d[1] * I[1] + d[2] * I[2];
  const gi = gamma[0] * I[0] + gamma[1] * I[1] + gamma[2] * I[2];
  const det = dd * gg - dg * dg;
  if (det <= 1e-12 * dd * gg) return { k: dd > 0 ? di / dd : 0, m: 0 };
  return { k: (gg * di - dg * gi) / det, m: (dd * gi - dg * di) / det };
}

/** The same split with k, m ≥ 0 (non-negative least squares over the two columns): returns m. */
export function dichromaticSpecular(
  I: ArrayLike<number>,
  d: ArrayLike<number>,
  gamma: ArrayLike<number>,
): number {
  const { k, m } = dichromaticSplit(I, d, gamma);
  if (m <= 0) return 0;
  if (k <= 0) {
    const gg = gamma[0] * gamma[0] + gamma[1] * gamma[1] + gamma[2] * gamma[2];
    return Math.max(0, (gamma[0] * I[0] + gamma[1] * I[1] + gamma[2] * I[2]) / gg);
  }
  return m;
}

function shadeAt(
  coefficients: Float64Array,
  normals: Float32Array,
  i: number,
  basis: Float64Array,
): number[] {
  shBasis(normals[3 * i], normals[3 * i + 1], normals[3 * i + 2], basis);
  return [0, 1, 2].map((c) => {
    let s = 0;
    for (let k = 0; k < 9; k++) s += coefficients[9 * c + k] * basis[k];
    return s;
  });
}

/** De-lights the seen texels and carries the result to the completed ones (see the module comment). */
export function delight(inp: DelightInput): DelightResult {
  const { size, normals } = inp;
  const texels = size * size;
  const linear = new Float32Array(texels * 3);
  for (let i = 0; i < texels * 3; i++) linear[i] = srgbToLinear(inp.observed[i]);

  // Lighting: the visibility exponent whose robust fit explains the skin best.
  let lighting: LightingFit | undefined;
  for (const beta of VISIBILITY_EXPONENTS) {
    const f = fitRobustLighting(linear, normals, inp.visibility, inp.skinWeight, beta);
    if (!lighting || f.sigma < lighting.sigma * 0.98) lighting = f;
  }
  lighting = lighting!;
  const basis = new Float64Array(9);
  const visAt = (i: number) =>
    lighting!.beta === 0 ? 1 : Math.max(inp.visibility[i], 1e-3) ** lighting!.beta;

  // Shading per channel, normalised to mean 1 over the skin: the division removes the shading's
  // variation and the light's colour (white balance then restores the skin's own hue).
  const raw = new Float32Array(texels * 3);
  const mean = [0, 0, 0];
  let wsum = 0;
  for (let i = 0; i < texels; i++) {
    if (inp.source[i] === TexelSource.outside) continue;
    const v = visAt(i);
    const s = shadeAt(lighting.coefficients, normals, i, basis);
    for (let c = 0; c < 3; c++) raw[3 * i + c] = s[c] * v;
    if (inp.skinWeight[i] > 0) {
      for (let c = 0; c < 3; c++) mean[c] += inp.skinWeight[i] * raw[3 * i + c];
      wsum += inp.skinWeight[i];
    }
  }
  for (let c = 0; c < 3; c++) mean[c] = wsum > 0 && mean[c] > 1e-6 ? mean[c] / wsum : 1;
  const shading3 = raw.map((s, j) => s / mean[j % 3]);
  const shading = new Float32Array(texels);
  for (let i = 0; i < texels; i++)
    shading[i] = luminance(shading3[3 * i], shading3[3 * i + 1], shading3[3 * i + 2]);

  // White balance from the skin's mean shading-free colour.
  const skinMean = [0, 0, 0];
  let skinW = 0;
  for (let i = 0; i < texels; i++) {
    const w = lighting.weights[i];
    if (!(w > 0) || shading[i] < SHADING_FLOOR) continue;
    for (let c = 0; c < 3; c++) skinMean[c] += (w * linear[3 * i + c]) / shading3[3 * i + c];
    skinW += w;
  }
  const locusLight: [number, number, number] =
    skinW > 0 ? skinLocusIlluminant(skinMean.map((v) => v / skinW)) : [1, 1, 1];
  const scleraTexels: number[] = [];
  const shadingFree = new Float32Array(texels * 3);
  if (inp.neutral)
    for (let i = 0; i < texels; i++) {
      if (!inp.neutral[i] || !(inp.confidence[i] > 0) || shading[i] < SHADING_FLOOR) continue;
      scleraTexels.push(i);
      for (let c = 0; c < 3; c++) shadingFree[3 * i + c] = linear[3 * i + c] / shading3[3 * i + c];
    }
  const fromSclera = neutralIlluminant(shadingFree, scleraTexels);

  // The diffuse hue expected at a texel: the neighbourhood's shading-free colour from texels the
  // robust fit kept (highlights got weight 0 there), on the texels where a dichromatic split means
  // something (skin, lips: not eyes or teeth, whose white is their own).
  const seen = new Float32Array(texels);
  const diffuseHue = new Float32Array(texels * 3);
  for (let i = 0; i < texels; i++) {
    if (inp.confidence[i] > 0 && shading[i] >= SHADING_FLOOR && inp.separable[i]) {
      seen[i] = lighting.weights[i] > 0 ? 1 : inp.skinWeight[i] > 0 ? 0 : 0.25;
      for (let c = 0; c < 3; c++) diffuseHue[3 * i + c] = linear[3 * i + c] / shading3[3 * i + c];
    }
  }
  const hue = maskedBlur(size, diffuseHue, 3, seen, Math.max(2, size / 96));
  const predicted = new Float32Array(texels * 3);
  const highlightCandidates: number[] = [];
  for (let i = 0; i < texels; i++) {
    const candidate = inp.confidence[i] > 0 && inp.separable[i] && shading[i] >= SHADING_FLOOR;
    if (!candidate || !(inp.skinWeight[i] > 0)) continue;
    highlightCandidates.push(i);
    for (let c = 0; c < 3; c++) predicted[3 * i + c] = hue[3 * i + c] * shading3[3 * i + c];
  }
  const fromHighlights = highlightIlluminant(linear, predicted, highlightCandidates);
  const skinColour = skinMean.map((v) => v / Math.max(skinW, 1e-9));
  const neutral = poolNeutral(
    consistentWithSkin(skinColour, fromSclera) ? fromSclera : undefined,
    consistentWithSkin(skinColour, fromHighlights) ? fromHighlights : undefined,
  );
  // The references give the colour of the light a highlight reflects, the key light's, but not the
  // mix that lights the skin diffusely: in the eval's environments (a sun or lamp with sky or walls)
  // the sclera, recessed under the brow, and the highlights read a warmer light than the skin's mean
  // — on four subjects the truly grey sclera texels read ×1.2 in r/g and ×0.75 in b/g against the
  // light the skin's albedo divides out, and 38–66 % of the texels the sclera estimate kept were iris
  // (tools/src/eval/albedo-diagnostics.ts) — and with them the white balance over-cooled the skin
  // (eval, 6 subjects × 1 pose: |ITA error| 11.2° with them, 7.4° without). So they colour the
  // specular part of the split (Γ) and the diffuse white balance is the skin locus's.
  const specularColour = blendIlluminants(locusLight, neutral);
  const illuminant = locusLight;
  // The skin's hue says how light it is only when the light's tint is known apart from it: the level
  // counts as much as the neutral references' weight n / (n + 16). Off by default: in the eval
  // (6 subjects, uv 128) it overshot — the specular sheen on dark skin and a misread tint make the
  // hue look lighter — and the |ITA error| rose to 15.8° against the photo mean's 7.3°.
  const level =
    inp.levelFromSkinHue && skinW > 0 && neutral
      ? skinLevel(
          skinMean.map((v) => v / skinW),
          illuminant,
        ) **
        (neutral.texels / (neutral.texels + NEUTRAL_HALF_WEIGHT))
      : 1;

  // Highlights, on the same texels: m is what the key light's colour Γ adds on top of the expected
  // diffuse hue, less the split's offset and three times its noise over the skin (median and
  // 1.4826 · MAD of the unconstrained m).
  const highlight = new Float32Array(texels);
  const signed: number[] = [];
  const d = [0, 0, 0];
  for (let i = 0; i < texels; i++) {
    if (!(seen[i] > 0 || (inp.confidence[i] > 0 && inp.separable[i] && shading[i] >= SHADING_FLOOR)))
      continue;
    for (let c = 0; c < 3; c++) d[c] = hue[3 * i + c] * shading3[3 * i + c];
    const I = linear.subarray(3 * i, 3 * i + 3);
    highlight[i] = dichromaticSpecular(I, d, specularColour);
    if (inp.skinWeight[i] > 0) signed.push(dichromaticSplit(I, d, specularColour).m);
  }
  const offset = median(signed);
  const noise = 1.4826 * median(signed.map((m) => Math.abs(m - offset)));
  let highlights = 0;
  for (let i = 0; i < texels; i++) {
    highlight[i] = Math.max(0, highlight[i] - offset - 3 * noise);
    if (highlight[i] > 0 && inp.skinWeight[i] > 0) highlights++;
  }

  // Albedo of the seen texels.
  const albedo = new Float32Array(texels * 3);
  const trusted = new Uint8Array(texels);
  let clamped = 0;
  let layout = 0;
  let borrowed = 0;
  const clampCount = (i: number, values: number[]) => {
    let hit = false;
    for (let c = 0; c < 3; c++) {
      if (values[c] < 0 || values[c] > 1) hit = true;
      albedo[3 * i + c] = Math.min(1, Math.max(0, values[c]));
    }
    return hit;
  };
  const clampedAt = new Uint8Array(texels);
  for (let i = 0; i < texels; i++) {
    if (inp.source[i] === TexelSource.outside) continue;
    layout++;
    if (!(inp.confidence[i] > 0) || shading[i] < SHADING_FLOOR) continue;
    trusted[i] = 1;
    const a = [0, 1, 2].map(
      (c) =>
        (linear[3 * i + c] - highlight[i] * specularColour[c]) /
        shading3[3 * i + c] /
        (illuminant[c] * level),
    );
    if (clampCount(i, a)) clampedAt[i] = 1;
  }

  // Cast shadows: SH lighting has no visibility of the key light, so a texel in a cast shadow (beside
  // the nose, under the brow) de-lights too dark. Where a texel's de-lit luminance is below
  // (1 − 3σ) of its mirror image's (σ: the fit's robust relative residual; the bound kept in
  // [0.5, 0.8]) and the mirror was de-lit, the darker side is taken to be shadowed and takes the
  // mirror's albedo — a symmetry prior that also evens out one-sided blemishes. Only on the skin the
  // lighting fit uses (skinWeight): on brows, lids and lips darkness is mostly the feature's own albedo,
  // and the mirror texel of a brow hair is as often bare skin (brows are not symmetric texel for
  // texel): on the sample this rule took a quarter of the brows' dark texels and paled the brows
  // (median L* 51.7 in the photo, 55.7 de-lit with it, 50.8 without, against the skin's 76).
  const darker = Math.min(0.8, Math.max(0.5, 1 - 3 * lighting.sigma));
  const la = (i: number) => luminance(albedo[3 * i], albedo[3 * i + 1], albedo[3 * i + 2]);
  const shadowedAt: number[] = [];
  for (let i = 0; i < texels; i++) {
    const j = inp.mirrorOf[i];
    if (
      trusted[i] &&
      j >= 0 &&
      trusted[j] &&
      inp.separable[i] &&
      inp.skinWeight[i] > 0 &&
      la(i) < darker * la(j)
    )
      shadowedAt.push(i);
  }
  for (const i of shadowedAt) {
    const j = inp.mirrorOf[i];
    albedo.set(albedo.subarray(3 * j, 3 * j + 3), 3 * i);
    clampedAt[i] = clampedAt[j];
  }

  // The other texels: seen ones under the floor and mirrored ones take their mirror's albedo when that
  // was de-lit; filled ones keep the fill colour (it is the skin tone with the shading divided out
  // already), scaled to the de-lit skin's albedo — the skin's around them with positions, else the
  // median; the rest (push-pull band, grain) scale their completed colour by the
  // albedo/texture ratio of the nearest de-lit texels (diffused outwards, so it varies smoothly).
  const texLin = new Float32Array(texels * 3);
  for (let i = 0; i < texels * 3; i++) texLin[i] = srgbToLinear(inp.texture[i]);
  const logRatio = new Float32Array(texels * 3);
  const known = new Float32Array(texels);
  const setRatio = (i: number) => {
    for (let c = 0; c < 3; c++)
      logRatio[3 * i + c] = Math.log(Math.max(albedo[3 * i + c], 1e-4) / Math.max(texLin[3 * i + c], 1e-4));
    known[i] = 1;
  };
  for (let i = 0; i < texels; i++) if (trusted[i]) setRatio(i);
  const toneLin = inp.skinTone.map(srgbToLinear);
  const skinAlbedo = [0, 1, 2].map((c) => {
    const v: number[] = [];
    for (let i = 0; i < texels; i++) if (trusted[i] && lighting.weights[i] > 0) v.push(albedo[3 * i + c]);
    return v.length ? median(v) : toneLin[c] / (illuminant[c] * level);
  });
  const regional = inp.positions
    ? regionalAlbedo(
        albedo,
        inp.positions,
        Uint8Array.from(trusted, (t, i) => (t && lighting.weights[i] > 0 ? 1 : 0)),
        Uint8Array.from(inp.filled, (f, i) => (f && inp.separable[i] && !trusted[i] ? 1 : 0)),
        REGIONAL_SIGMA_CM,
      )
    : undefined;
  for (let i = 0; i < texels; i++) {
    if (inp.source[i] === TexelSource.outside || trusted[i]) continue;
    const j = inp.mirrorOf[i];
    if ((inp.source[i] === TexelSource.mirrored || inp.confidence[i] > 0) && j >= 0 && trusted[j]) {
      albedo.set(albedo.subarray(3 * j, 3 * j + 3), 3 * i);
      if (inp.confidence[i] > 0) borrowed++;
      setRatio(i);
    } else if (inp.filled[i]) {
      const target = regional && inp.separable[i] ? regional.subarray(3 * i, 3 * i + 3) : skinAlbedo;
      for (let c = 0; c < 3; c++) {
        const a = (texLin[3 * i + c] * target[c]) / Math.max(toneLin[c], 1e-4);
        logRatio[3 * i + c] = Math.log(a / Math.max(texLin[3 * i + c], 1e-4));
      }
      known[i] = 1;
    }
  }
  // A texel that took its mirror's albedo over its own dark colour (a cast shadow, or a hair strand
  // the occluder mask missed) has a ratio of two different surfaces, often tenfold in blue: it keeps
  // it, but spreading it would bleach its neighbours, so the spread reads only the other known texels.
  const spreadWeight = Float32Array.from(known);
  for (const i of shadowedAt) spreadWeight[i] = 0;
  const spread = maskedBlur(size, logRatio, 3, spreadWeight, Math.max(2, size / 64));
  const ratio = new Float32Array(texels * 3);
  for (let i = 0; i < texels; i++) {
    if (inp.source[i] === TexelSource.outside) continue;
    if (!known[i]) {
      const values = [0, 1, 2].map((c) => texLin[3 * i + c] * Math.exp(spread[3 * i + c]));
      if (clampCount(i, values)) clampedAt[i] = 1;
      for (let c = 0; c < 3; c++) logRatio[3 * i + c] = spread[3 * i + c];
    } else if (!trusted[i] && inp.filled[i]) {
      const values = [0, 1, 2].map((c) => texLin[3 * i + c] * Math.exp(logRatio[3 * i + c]));
      if (clampCount(i, values)) clampedAt[i] = 1;
    }
    for (let c = 0; c < 3; c++) ratio[3 * i + c] = Math.exp(logRatio[3 * i + c]);
  }
  let undelit = 0;
  for (let i = 0; i < texels; i++) {
    clamped += clampedAt[i];
    if (inp.confidence[i] > 0 && !trusted[i] && !known[i]) undelit++;
  }
  return {
    albedo,
    ratio,
    delit: trusted,
    highlight,
    shading,
    lighting,
    illuminant,
    specularColour,
    neutralIlluminant: fromSclera,
    highlightIlluminant: fromHighlights,
    level,
    stats: {
      layout,
      clamped,
      clampedShare: layout ? clamped / layout : 0,
      borrowed,
      undelit,
      shadowed: shadowedAt.length,
      highlights,
    },
  };
}

/** Linear albedo to sRGB [N·3]. */
export function albedoToSrgb(albedo: Float32Array): Float32Array {
  return albedo.map(linearToSrgb);
}
