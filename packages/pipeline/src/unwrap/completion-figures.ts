// Figures that say whether a completed texture has texture and seams (pure functions, tested in Node).
import { linearRgbToLab, luminance } from '../math/colour.ts';
import { maskedBlur } from '../reflectance/delight.ts';
import { texelPitch } from './skin-detail.ts';

const lum = (rgb: ArrayLike<number>, i: number) => luminance(rgb[3 * i], rgb[3 * i + 1], rgb[3 * i + 2]);

/**
 * Mean squared high-pass of the luminance over `mask`: luminance minus its 3×3 mean, on texels whose
 * whole 3×3 neighbourhood is in the mask. Flat (blurred) completion gives ≈ 0; seen skin gives its grain.
 */
export function highFrequencyEnergy(rgb: ArrayLike<number>, mask: ArrayLike<number>, size: number): number {
  let sum = 0;
  let n = 0;
  for (let y = 1; y < size - 1; y++)
    for (let x = 1; x < size - 1; x++) {
      const i = y * size + x;
      let mean = 0;
      let inside = true;
      for (let dy = -1; dy <= 1 && inside; dy++)
        for (let dx = -1; dx <= 1; dx++) {
          inside &&= mask[i + dy * size + dx] > 0;
          mean += lum(rgb, i + dy * size + dx) / 9;
        }
      if (!inside) continue;
      sum += (lum(rgb, i) - mean) ** 2;
      n++;
    }
  return n ? sum / n : NaN;
}

/**
 * Seam figure: over 4-neighbour pairs (i seen, j completed, both in `domain`), the mean absolute
 * difference between the mean luminance of the seen texels in i's 5×5 neighbourhood and that of the
 * completed texels in j's. Local means average the texture out, so what is left is the step in level
 * at the border: 0 for a seamless completion.
 */
export function seamStep(
  rgb: ArrayLike<number>,
  seen: ArrayLike<number>,
  domain: ArrayLike<number>,
  size: number,
): { step: number; pairs: number } {
  const sideMean = (i: number, wantSeen: boolean) => {
    const [x, y] = [i % size, Math.floor(i / size)];
    let [sum, n] = [0, 0];
    for (let dy = -2; dy <= 2; dy++)
      for (let dx = -2; dx <= 2; dx++) {
        const [u, v] = [x + dx, y + dy];
        if (u < 0 || v < 0 || u >= size || v >= size) continue;
        const k = v * size + u;
        if (!(domain[k] > 0) || seen[k] > 0 !== wantSeen) continue;
        [sum, n] = [sum + lum(rgb, k), n + 1];
      }
    return sum / n;
  };
  let [total, pairs] = [0, 0];
  for (let i = 0; i < size * size; i++) {
    if (!(domain[i] > 0)) continue;
    const [x, y] = [i % size, Math.floor(i / size)];
    for (const j of [x + 1 < size ? i + 1 : -1, y + 1 < size ? i + size : -1]) {
      if (j < 0 || !(domain[j] > 0) || seen[i] > 0 === seen[j] > 0) continue;
      const [a, b] = seen[i] > 0 ? [i, j] : [j, i];
      total += Math.abs(sideMean(a, true) - sideMean(b, false));
      pairs++;
    }
  }
  return { step: pairs ? total / pairs : NaN, pairs };
}

/**
 * Colour step across a UV seam, in 3-D: two UV islands (`side` 1 and 2, 0 elsewhere) that meet on the
 * surface — the head atlas's face cell and back-of-head cell along the scalp, temples and neck. For
 * every texel of side 1 within `border` (model units) of side 2, the mean L*a*b* of each side's texels
 * within `radius` of it (local means, so grain averages out), and their ΔE*76; returned: the mean over
 * those seam texels, and the mean signed ΔL* (side 1 minus side 2). A seamless completion gives ≈ 0
 * whatever the texture; a cell de-lit or completed differently from the other gives its offset.
 * albedo: linear RGB [S·S·3]; positions: model space per texel [S·S·3].
 */
export function crossSeamStep(
  albedo: ArrayLike<number>,
  positions: ArrayLike<number>,
  side: ArrayLike<number>,
  { radius = 1.5, border = 0.3 } = {},
): { deltaE: number; deltaL: number; seamTexels: number } {
  const n = side.length;
  const cellOf = (i: number) => [0, 1, 2].map((k) => Math.floor(positions[3 * i + k] / radius));
  const grid = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    if (side[i] !== 1 && side[i] !== 2) continue;
    const key = cellOf(i).join(',');
    const list = grid.get(key);
    if (list) list.push(i);
    else grid.set(key, [i]);
  }
  const d2 = (i: number, j: number) =>
    (positions[3 * i] - positions[3 * j]) ** 2 +
    (positions[3 * i + 1] - positions[3 * j + 1]) ** 2 +
    (positions[3 * i + 2] - positions[3 * j + 2]) ** 2;
  const lab = new Float64Array(n * 3);
  for (let i = 0; i < n; i++)
    if (side[i]) lab.set(linearRgbToLab(albedo[3 * i], albedo[3 * i + 1], albedo[3 * i + 2]), 3 * i);
  let [sumE, sumL, count] = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    if (side[i] !== 1) continue;
    const [a, b, c] = cellOf(i);
    const sums = [new Float64Array(4), new Float64Array(4)];
    let touches = false;
    for (let da = -1; da <= 1; da++)
      for (let db = -1; db <= 1; db++)
        for (let dc = -1; dc <= 1; dc++)
          for (const j of grid.get(`${a + da},${b + db},${c + dc}`) ?? []) {
            const dd = d2(i, j);
            if (dd > radius * radius) continue;
            if (side[j] === 2 && dd <= border * border) touches = true;
            const s = sums[side[j] - 1];
            for (let k = 0; k < 3; k++) s[k] += lab[3 * j + k];
            s[3]++;
          }
    if (!touches || !sums[0][3] || !sums[1][3]) continue;
    const [m1, m2] = sums.map((s) => [s[0] / s[3], s[1] / s[3], s[2] / s[3]]);
    sumE += Math.hypot(m1[0] - m2[0], m1[1] - m2[1], m1[2] - m2[2]);
    sumL += m1[0] - m2[0];
    count++;
  }
  return { deltaE: count ? sumE / count : NaN, deltaL: count ? sumL / count : NaN, seamTexels: count };
}

/** Share of visibleTexture's Gaussian that must fall in the mask for a texel to count. */
const MIN_COVERAGE = 0.8;

/**
 * Visible texture of a colour map over `mask`: the RMS of L* about its local mean, the mean a masked
 * Gaussian of σ = `scale` on the surface (model units; σ in texels from the mask's own texel pitch in
 * 3-D). What varies within about a centimetre is what a viewer reads as skin texture (pores,
 * mottling, freckles); what varies over larger distances is regional colour and shading. Unlike
 * highFrequencyEnergy (3×3 texels), it measures the same band on cells of different texel density,
 * and it is in L* units: 1 is about the least step one can see. Only texels with MIN_COVERAGE of
 * the Gaussian in the mask count. Returns the RMS, the pitch (model units per texel, the median
 * distance between 4-neighbours in the mask) and how many texels counted.
 * rgb: linear RGB [S·S·3]; positions: model space per texel [S·S·3].
 */
export function visibleTexture(
  rgb: ArrayLike<number>,
  positions: ArrayLike<number>,
  mask: ArrayLike<number>,
  size: number,
  scale = 1,
): { rms: number; pitch: number; texels: number } {
  const pitch = texelPitch(size, positions, mask);
  if (!(pitch > 0)) return { rms: NaN, pitch: NaN, texels: 0 };
  const weights = Float32Array.from({ length: size * size }, (_, i) => (mask[i] > 0 ? 1 : 0));
  const L = Float32Array.from({ length: size * size }, (_, i) =>
    weights[i] ? linearRgbToLab(rgb[3 * i], rgb[3 * i + 1], rgb[3 * i + 2])[0] : 0,
  );
  const sigma = Math.max(0.5, scale / pitch);
  const mean = maskedBlur(size, L, 1, weights, sigma);
  // Near the mask's edge the mean is one-sided, and a colour gradient there would read as texture.
  const coverage = maskedBlur(size, weights, 1, new Float32Array(size * size).fill(1), sigma);
  let [sum, n] = [0, 0];
  for (let i = 0; i < size * size; i++)
    if (weights[i] && coverage[i] >= MIN_COVERAGE) [sum, n] = [sum + (L[i] - mean[i]) ** 2, n + 1];
  return { rms: n ? Math.sqrt(sum / n) : NaN, pitch, texels: n };
}

/**
 * How dark a line the lower edges of occluded regions leave (a fringe's edge across a forehead, once
 * what the fringe covered is completed as skin). At each texel of `where` that is seen with an
 * occluded texel right above it (v down: the region's lower edge), the edge's depth is the least L* of
 * the five texels from 3 above it (completed) to 1 below (seen) less the median L* of the seen,
 * unoccluded texels 3–5 below it (edges without all three are skipped). albedo: linear RGB [S·S·3].
 * Returns the edges counted, the median depth and the share of edges deeper than `dark` L* below.
 */
export function occluderEdgeLine(
  albedo: ArrayLike<number>,
  occluded: ArrayLike<number>,
  seen: ArrayLike<number>,
  where: ArrayLike<number>,
  size: number,
  dark = 5,
): { edges: number; medianDepth: number; darkShare: number } {
  const lightness = (i: number) => linearRgbToLab(albedo[3 * i], albedo[3 * i + 1], albedo[3 * i + 2])[0];
  const depths: number[] = [];
  for (let y = 3; y + 5 < size; y++)
    for (let x = 0; x < size; x++) {
      const i = y * size + x;
      if (!(where[i] > 0) || !(seen[i] > 0) || !(occluded[i - size] > 0)) continue;
      const below = [3, 4, 5].map((k) => i + k * size).filter((j) => seen[j] > 0 && !(occluded[j] > 0));
      if (below.length < 3) continue;
      const skin = below.map(lightness).sort((a, b) => a - b)[1];
      depths.push(Math.min(...[-3, -2, -1, 0, 1].map((k) => lightness(i + k * size))) - skin);
    }
  depths.sort((a, b) => a - b);
  return {
    edges: depths.length,
    medianDepth: depths.length ? depths[depths.length >> 1] : NaN,
    darkShare: depths.length ? depths.filter((d) => d < -dark).length / depths.length : NaN,
  };
}
