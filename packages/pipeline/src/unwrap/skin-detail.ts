// Texture for skin the photo does not show: the fill gives it the skin's tone, this gives it the
// skin's grain. Pure functions on read-back arrays.

/** Side of the blocks copied (texels) and of the box that separates detail from tone (texels, odd). */
const BLOCK = 4;
const BOX = 5;

/**
 * The photo's skin detail: each reference texel's colour minus the mean of the reference texels in
 * its BOX×BOX neighbourhood (needs at least half of them), NaN elsewhere [S·S·3].
 */
export function skinResidual(
  size: number,
  rgb: ArrayLike<number>,
  reference: ArrayLike<number>,
): Float32Array {
  const out = new Float32Array(size * size * 3).fill(NaN);
  const h = BOX >> 1;
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const i = y * size + x;
      if (!(reference[i] > 0)) continue;
      const mean = [0, 0, 0];
      let n = 0;
      for (let dy = -h; dy <= h; dy++)
        for (let dx = -h; dx <= h; dx++) {
          const [u, v] = [x + dx, y + dy];
          if (u < 0 || v < 0 || u >= size || v >= size) continue;
          const j = v * size + u;
          if (!(reference[j] > 0)) continue;
          for (let c = 0; c < 3; c++) mean[c] += rgb[3 * j + c];
          n++;
        }
      if (2 * n < BOX * BOX) continue;
      for (let c = 0; c < 3; c++) out[3 * i + c] = rgb[3 * i + c] - mean[c] / n;
    }
  return out;
}

/**
 * Adds skin grain to the `target` texels of `texture` (in place) by copying BLOCK×BLOCK blocks of the
 * photo's skin residual (skinResidual) — a block taken whole keeps pores and freckles shaped as the
 * photo shows them; blocks are picked by a seeded generator, so the result is reproducible. Returns
 * the number of texels changed (0 when the photo shows no block of skin whole).
 */
export function addSkinDetail(
  size: number,
  texture: Float32Array,
  residual: Float32Array,
  target: ArrayLike<number>,
  seed = 1,
): number {
  const sources: number[] = [];
  for (let y = 0; y + BLOCK <= size; y += BLOCK)
    for (let x = 0; x + BLOCK <= size; x += BLOCK) {
      let whole = true;
      for (let dy = 0; dy < BLOCK && whole; dy++)
        for (let dx = 0; dx < BLOCK && whole; dx++)
          whole = !Number.isNaN(residual[3 * ((y + dy) * size + x + dx)]);
      if (whole) sources.push(y * size + x);
    }
  if (!sources.length) return 0;
  let state = seed >>> 0 || 1;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  let changed = 0;
  for (let y = 0; y < size; y += BLOCK)
    for (let x = 0; x < size; x += BLOCK) {
      const src = sources[Math.floor(next() * sources.length)];
      for (let dy = 0; dy < BLOCK && y + dy < size; dy++)
        for (let dx = 0; dx < BLOCK && x + dx < size; dx++) {
          const i = (y + dy) * size + x + dx;
          if (!(target[i] > 0)) continue;
          const j = src + dy * size + dx;
          for (let c = 0; c < 3; c++)
            texture[3 * i + c] = Math.min(1, Math.max(0, texture[3 * i + c] + residual[3 * j + c]));
          changed++;
        }
    }
  return changed;
}
