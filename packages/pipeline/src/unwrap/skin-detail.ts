// Texture for skin the photo does not show: the fill gives it the skin's tone, this gives it the
// skin's texture. Pure functions on read-back arrays.
import { maskedBlur } from '../reflectance/delight.ts';
import { luminance } from '../math/colour.ts';

/**
 * Scale on the surface (cm, Gaussian σ) that separates the skin's texture from its tone: what varies
 * within about a centimetre (pores at the texel scale, freckles, mottling) is texture; what varies
 * more slowly is the region's colour and the photo's shading, which the fill and the de-lighting
 * carry. A 5×5-texel box (≈ 4 mm at the default size) kept only the finest grain, and that, shrunk
 * with the seen skin's contrast, was too faint to see on the back of the head.
 */
export const DETAIL_SCALE_CM = 1;
/** Share of the detail's Gaussian that must fall on reference skin for a texel's residual to count. */
const MIN_COVERAGE = 0.6;
/**
 * Residuals beyond this many robust spreads (1.4826 · MAD of the luminance residual) are scaled down
 * to it: a stray hair, a nostril's rim or a highlight's core kept as skin would be copied as a blot.
 */
const CLIP_SPREADS = 3;

/**
 * The photo's skin detail: each reference texel's colour minus the masked Gaussian mean (σ `sigma`
 * texels: DETAIL_SCALE_CM over the reference's texel pitch, detailSigma) of the reference texels
 * around it, where reference skin covers at least MIN_COVERAGE of that Gaussian; outliers clipped to
 * CLIP_SPREADS robust spreads; NaN elsewhere [S·S·3].
 */
export function skinResidual(
  size: number,
  rgb: ArrayLike<number>,
  reference: ArrayLike<number>,
  sigma: number,
): Float32Array {
  const texels = size * size;
  if (rgb.length !== 3 * texels || reference.length !== texels)
    throw new RangeError(
      `skinResidual: rgb has ${rgb.length} values and reference ${reference.length} for ${size}² texels`,
    );
  const weight = Float32Array.from({ length: texels }, (_, i) => (reference[i] > 0 ? 1 : 0));
  const mean = maskedBlur(size, Float32Array.from(rgb), 3, weight, sigma);
  const coverage = maskedBlur(size, weight, 1, new Float32Array(texels).fill(1), sigma);
  const out = new Float32Array(texels * 3).fill(NaN);
  const dl: number[] = [];
  for (let i = 0; i < texels; i++) {
    if (!weight[i] || coverage[i] < MIN_COVERAGE) continue;
    for (let c = 0; c < 3; c++) out[3 * i + c] = rgb[3 * i + c] - mean[3 * i + c];
    dl.push(Math.abs(luminance(out[3 * i], out[3 * i + 1], out[3 * i + 2])));
  }
  if (!dl.length) return out;
  dl.sort((a, b) => a - b);
  const bound = CLIP_SPREADS * 1.4826 * dl[dl.length >> 1];
  for (let i = 0; i < texels; i++) {
    const l = Math.abs(luminance(out[3 * i], out[3 * i + 1], out[3 * i + 2]));
    if (!(l > bound)) continue;
    for (let c = 0; c < 3; c++) out[3 * i + c] *= bound / l;
  }
  return out;
}

/**
 * The texels' pitch on the surface over `mask`: the median 3-D distance between 4-neighbours in it
 * (positions model space, cm) [S·S·3]; NaN when no two neighbours are in the mask.
 */
export function texelPitch(size: number, positions: ArrayLike<number>, mask: ArrayLike<number>): number {
  const d: number[] = [];
  for (let i = 0; i < size * size; i++) {
    if (!(mask[i] > 0)) continue;
    for (const j of [(i % size) + 1 < size ? i + 1 : -1, i + size < size * size ? i + size : -1])
      if (j >= 0 && mask[j] > 0)
        d.push(
          Math.hypot(
            positions[3 * i] - positions[3 * j],
            positions[3 * i + 1] - positions[3 * j + 1],
            positions[3 * i + 2] - positions[3 * j + 2],
          ),
        );
  }
  if (!d.length) return NaN;
  d.sort((a, b) => a - b);
  return d[d.length >> 1];
}

/** The detail's σ in texels: DETAIL_SCALE_CM over the reference texels' pitch (texelPitch); at least 1. */
export function detailSigma(
  size: number,
  positions: ArrayLike<number>,
  reference: ArrayLike<number>,
): number {
  const pitch = texelPitch(size, positions, reference);
  return pitch > 0 ? Math.max(1, DETAIL_SCALE_CM / pitch) : 1;
}

/**
 * Adds skin texture to the `target` texels of `texture` (in place) by quilting blocks of the photo's
 * skin residual (skinResidual of σ `sigma` texels): on a grid of step ≈ 1.3σ, each cell takes a
 * block, picked by a seeded generator among the blocks whose texels all have a residual, that
 * reaches ≈ σ/2 texels into its neighbours (a block holds a few of the detail's blotches whole); where blocks overlap their weights ramp linearly and the sum is divided by the root of
 * the weights' sum of squares, so the texture's variance is the photo's everywhere (a plain average
 * would halve it along the block edges) and a block keeps pores and freckles shaped as the photo
 * shows them. `stride`: source texels per target texel along each axis, for a target cell coarser
 * than the source's (the back of the head, ≈ 3× the face's texel pitch at the default size): each
 * target texel takes the mean of the stride × stride source texels it covers on the surface, so the
 * texture keeps its size there instead of reading `stride` times coarser (σ stays in target texels).
 * Returns the number of texels changed (0 when the photo shows no block of skin whole).
 */
export function addSkinDetail(
  size: number,
  texture: Float32Array,
  residual: Float32Array,
  target: ArrayLike<number>,
  sigma: number,
  seed = 1,
  stride = 1,
): number {
  const texels = size * size;
  const overlap = Math.max(1, Math.ceil(sigma / 2));
  const step = Math.max(2, Math.ceil(1.3 * sigma));
  if (texture.length !== 3 * texels || residual.length !== 3 * texels || target.length !== texels)
    throw new RangeError(
      `addSkinDetail: texture ${texture.length}, residual ${residual.length} and target ${target.length} values for ${size}² texels`,
    );
  const side = step + 2 * overlap;
  const span = side * stride;
  // Summed-area table of texels without a residual: a block is whole when its count is 0.
  const holes = new Int32Array((size + 1) * (size + 1));
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++)
      holes[(y + 1) * (size + 1) + x + 1] =
        (Number.isNaN(residual[3 * (y * size + x)]) ? 1 : 0) +
        holes[y * (size + 1) + x + 1] +
        holes[(y + 1) * (size + 1) + x] -
        holes[y * (size + 1) + x];
  const sources: number[] = [];
  for (let y = 0; y + span <= size; y++)
    for (let x = 0; x + span <= size; x++) {
      const [a, b] = [y * (size + 1) + x, (y + span) * (size + 1) + x];
      if (holes[b + span] - holes[b] - holes[a + span] + holes[a] === 0) sources.push(y * size + x);
    }
  if (!sources.length) return 0;
  let state = seed >>> 0 || 1;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const ramp = Float32Array.from({ length: side }, (_, d) =>
    Math.min(1, (d + 0.5) / (2 * overlap), (side - d - 0.5) / (2 * overlap)),
  );
  const sum = new Float32Array(texels * 3);
  const squares = new Float32Array(texels);
  for (let y0 = -overlap; y0 < size; y0 += step)
    for (let x0 = -overlap; x0 < size; x0 += step) {
      const src = sources[Math.floor(next() * sources.length)];
      for (let dy = 0; dy < side; dy++)
        for (let dx = 0; dx < side; dx++) {
          const [x, y] = [x0 + dx, y0 + dy];
          if (x < 0 || y < 0 || x >= size || y >= size) continue;
          const i = y * size + x;
          if (!(target[i] > 0)) continue;
          const w = (ramp[dx] * ramp[dy]) / (stride * stride);
          const j = src + (dy * size + dx) * stride;
          for (let sy = 0; sy < stride; sy++)
            for (let sx = 0; sx < stride; sx++)
              for (let c = 0; c < 3; c++) sum[3 * i + c] += w * residual[3 * (j + sy * size + sx) + c];
          squares[i] += ramp[dx] * ramp[dy] * ramp[dx] * ramp[dy];
        }
    }
  let changed = 0;
  for (let i = 0; i < texels; i++) {
    if (!(target[i] > 0) || !(squares[i] > 0)) continue;
    const norm = 1 / Math.sqrt(squares[i]);
    for (let c = 0; c < 3; c++)
      texture[3 * i + c] = Math.min(1, Math.max(0, texture[3 * i + c] + sum[3 * i + c] * norm));
    changed++;
  }
  return changed;
}
