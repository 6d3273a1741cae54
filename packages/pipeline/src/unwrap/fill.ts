// Plausible colours for the parts of the head no photo shows (pure functions on read-back arrays).
import { fitShLighting } from '../fit/lighting.ts';
import { linearToSrgb, srgbToLinear } from '../math/colour.ts';
import { shBasis } from '../lighting/sh.ts';

/** Used when the photo shows too little skin to measure (fewer texels than the lighting fit needs). */
export const DEFAULT_SKIN_TONE: [number, number, number] = [0.72, 0.55, 0.46];

/**
 * The skin's colour with the low-frequency shading removed: SH lighting (order 2) fitted to the
 * observed skin texels gives each texel's shading S(n); its colour is rescaled by S̄ / S(n) (S̄ the
 * mean shading over those texels), which flattens the light's direction but keeps the photo's overall
 * level so the fill meets the observed face without a step; the tone is the per-channel median
 * (robust to stray hair, stubble and specular highlights). Texels where S(n) < S̄/4 (deep shadow,
 * where the division amplifies noise) are skipped. Also returned: each weighted texel's de-shaded
 * colour (sRGB [N·3]; 0 elsewhere) and a mask of those above the floor [N]. colours sRGB [N·3];
 * normals model space [N·3]; weights [N] (0 = not skin or not seen).
 */
export function deshadedSkinTone(
  colours: ArrayLike<number>,
  normals: ArrayLike<number>,
  weights: ArrayLike<number>,
): { tone: [number, number, number]; samples: number; deshaded: Float32Array; lit: Uint8Array } {
  const deshaded = new Float32Array(weights.length * 3);
  const lit = new Uint8Array(weights.length);
  let count = 0;
  for (let i = 0; i < weights.length; i++) if (weights[i] > 0) count++;
  if (count < 64) return { tone: [...DEFAULT_SKIN_TONE], samples: 0, deshaded, lit };
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
  j = 0;
  for (let i = 0; i < weights.length; i++) {
    if (!(weights[i] > 0)) continue;
    if ([0, 1, 2].every((c) => shading[3 * j + c] > mean[c] / 4)) {
      lit[i] = 1;
      for (let c = 0; c < 3; c++)
        deshaded[3 * i + c] = linearToSrgb(Math.min(1, (linear[3 * j + c] * mean[c]) / shading[3 * j + c]));
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
  return { tone, samples, deshaded, lit };
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
  // Cells of a surface's band: a texel within the band of another lies in one of the 27 cells around
  // it. Known texels by cell, and the unknown ones by cell, so that each cell gathers its neighbours'
  // known texels once.
  // Integer keys (string keys cost more than the distances): cells within ±512 of the origin per axis.
  const knownIn = new Map<number, number[]>();
  const unknownIn = new Map<number, { cell: number[]; texels: number[] }>();
  const keyOf = (id: number, a: number, b: number, c: number) =>
    ((id * 1024 + (a + 512)) * 1024 + (b + 512)) * 1024 + (c + 512);
  for (let i = 0; i < n; i++) {
    const id = surface[i];
    if (id === 0 || !Number.isFinite(bands[id])) continue;
    const band = bands[id];
    const cell = [
      Math.floor(positions[3 * i] / band),
      Math.floor(positions[3 * i + 1] / band),
      Math.floor(positions[3 * i + 2] / band),
    ];
    const key = keyOf(id, cell[0], cell[1], cell[2]);
    if (known[i] > 0) {
      const list = knownIn.get(key);
      if (list) list.push(i);
      else knownIn.set(key, [i]);
    } else {
      const group = unknownIn.get(key);
      if (group) group.texels.push(i);
      else unknownIn.set(key, { cell: [id, ...cell], texels: [i] });
    }
  }
  const out = new Uint8Array(n);
  const near: number[] = [];
  for (const { cell, texels } of unknownIn.values()) {
    const [id, a0, b0, c0] = cell;
    near.length = 0;
    for (let a = -1; a <= 1; a++)
      for (let b = -1; b <= 1; b++)
        for (let c = -1; c <= 1; c++)
          for (const j of knownIn.get(keyOf(id, a0 + a, b0 + b, c0 + c)) ?? []) near.push(j);
    const b2 = bands[id] ** 2;
    for (const i of texels) {
      let within = false;
      for (const j of near) {
        const d =
          (positions[3 * i] - positions[3 * j]) ** 2 +
          (positions[3 * i + 1] - positions[3 * j + 1]) ** 2 +
          (positions[3 * i + 2] - positions[3 * j + 2]) ** 2;
        if (d <= b2) {
          within = true;
          break;
        }
      }
      if (!within) out[i] = 1;
    }
  }
  return out;
}
