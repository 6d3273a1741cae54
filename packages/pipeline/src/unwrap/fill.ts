// Plausible colours for the parts of the head no photo shows (pure functions on read-back arrays).
import { fitShLighting, linearToSrgb, srgbToLinear } from '../fit/lighting.ts';
import { shBasis } from '../lighting/sh.ts';

/** Used when the photo shows too little skin to measure (fewer texels than the lighting fit needs). */
export const DEFAULT_SKIN_TONE: [number, number, number] = [0.72, 0.55, 0.46];

/**
 * The skin's colour with the low-frequency shading removed: SH lighting (order 2) fitted to the
 * observed skin texels gives each texel's shading S(n); its colour is rescaled by S̄ / S(n) (S̄ the
 * mean shading over those texels), which flattens the light's direction but keeps the photo's overall
 * level so the fill meets the observed face without a step; the tone is the per-channel median
 * (robust to stray hair, stubble and specular highlights). Texels where S(n) < S̄/4 (deep shadow,
 * where the division amplifies noise) are skipped. colours sRGB [N·3]; normals model space [N·3];
 * weights [N] (0 = not skin or not seen).
 */
export function deshadedSkinTone(
  colours: ArrayLike<number>,
  normals: ArrayLike<number>,
  weights: ArrayLike<number>,
): { tone: [number, number, number]; samples: number } {
  let count = 0;
  for (let i = 0; i < weights.length; i++) if (weights[i] > 0) count++;
  if (count < 64) return { tone: [...DEFAULT_SKIN_TONE], samples: 0 };
  const sh = fitShLighting(colours, normals, weights).coefficients;
  const basis = new Float64Array(9);
  const shading = new Float64Array(count * 3);
  const linear = new Float64Array(count * 3);
  const mean = [0, 0, 0];
  let j = 0;
  for (let i = 0; i < weights.length; i++) {
    if (!(weights[i] > 0)) continue;
    shBasis(normals[3 * i], normals[3 * i + 1], normals[3 * i + 2], basis);
    for (let c = 0; c < 3; c++) {
      let s = 0;
      for (let k = 0; k < 9; k++) s += sh[9 * c + k] * basis[k];
      shading[3 * j + c] = s;
      linear[3 * j + c] = srgbToLinear(colours[3 * i + c]);
      mean[c] += s / count;
    }
    j++;
  }
  const tone: [number, number, number] = [0, 0, 0];
  let samples = count;
  for (let c = 0; c < 3; c++) {
    const values: number[] = [];
    for (let i = 0; i < count; i++) {
      const s = shading[3 * i + c];
      if (s > mean[c] / 4) values.push((linear[3 * i + c] * mean[c]) / s);
    }
    samples = Math.min(samples, values.length);
    values.sort((a, b) => a - b);
    tone[c] = values.length ? linearToSrgb(values[values.length >> 1]) : DEFAULT_SKIN_TONE[c];
  }
  return { tone, samples };
}

/**
 * Texels of the layout that are unknown and farther than their surface's band (model units, measured
 * in 3-D between the texels' model-space positions) from every known texel OF THE SAME SURFACE (teeth
 * lie a few millimetres behind the lips, but the lips' colour must not bleed onto them): those take the
 * fill colour outright; the unknown texels within the band are left to push-pull, which blends the
 * known border into the fill. known [N] (> 0 known); surface [N] (0 outside the layout, else a
 * surface id); positions [N·3]; bands: the band of each surface id (Infinity: never far, all
 * push-pull).
 */
export function farFromKnown(
  known: ArrayLike<number>,
  surface: ArrayLike<number>,
  positions: ArrayLike<number>,
  bands: ArrayLike<number>,
): Uint8Array {
  const n = known.length;
  const grid = new Map<string, number[]>();
  const cellKey = (i: number, da = 0, db = 0, dc = 0) => {
    const band = bands[surface[i]];
    const [a, b, c] = [0, 1, 2].map((k) => Math.floor(positions[3 * i + k] / band));
    return `${surface[i]}:${a + da},${b + db},${c + dc}`;
  };
  const bounded = (i: number) => surface[i] !== 0 && Number.isFinite(bands[surface[i]]);
  for (let i = 0; i < n; i++) {
    if (!(known[i] > 0) || !bounded(i)) continue;
    const key = cellKey(i);
    let list = grid.get(key);
    if (!list) grid.set(key, (list = []));
    list.push(i);
  }
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (known[i] > 0 || !bounded(i)) continue;
    const b2 = bands[surface[i]] ** 2;
    let near = false;
    for (let a = -1; a <= 1 && !near; a++)
      for (let b = -1; b <= 1 && !near; b++)
        for (let c = -1; c <= 1 && !near; c++) {
          for (const j of grid.get(cellKey(i, a, b, c)) ?? []) {
            const d =
              (positions[3 * i] - positions[3 * j]) ** 2 +
              (positions[3 * i + 1] - positions[3 * j + 1]) ** 2 +
              (positions[3 * i + 2] - positions[3 * j + 2]) ** 2;
            if (d <= b2) {
              near = true;
              break;
            }
          }
        }
    if (!near) out[i] = 1;
  }
  return out;
}
