// Figures that say whether a completed texture has texture and seams (pure functions, tested in Node).

const lum = (rgb: ArrayLike<number>, i: number) =>
  0.2126 * rgb[3 * i] + 0.7152 * rgb[3 * i + 1] + 0.0722 * rgb[3 * i + 2];

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
