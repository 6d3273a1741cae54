// Image comparisons and compositing on read-back arrays (pure; tested in Node).

/** PSNR in dB (peak 1) between two RGB images [N·3] over the pixels where mask > 0; Infinity when identical. */
export function psnr(a: ArrayLike<number>, b: ArrayLike<number>, mask: ArrayLike<number>): number {
  let sq = 0;
  let n = 0;
  for (let i = 0; i < mask.length; i++) {
    if (!(mask[i] > 0)) continue;
    for (let k = 0; k < 3; k++) sq += (a[3 * i + k] - b[3 * i + k]) ** 2;
    n += 3;
  }
  if (n === 0) throw new RangeError('psnr: the mask selects no pixel');
  return sq === 0 ? Infinity : 10 * Math.log10(n / sq);
}

/** `over` composited onto `under` with opacity alpha·weight per pixel (RGB [N·3], weight [N]). */
export function composite(
  under: ArrayLike<number>,
  over: ArrayLike<number>,
  weight: ArrayLike<number>,
  alpha = 1,
): Float32Array {
  const out = Float32Array.from(under);
  for (let i = 0; i < weight.length; i++) {
    const a = Math.min(1, Math.max(0, alpha * weight[i]));
    if (a === 0) continue;
    for (let k = 0; k < 3; k++) out[3 * i + k] = (1 - a) * under[3 * i + k] + a * over[3 * i + k];
  }
  return out;
}

/** Encodes signed unit vectors or positions to [0, 1] RGB: (v − centre) / (2·halfExtent) + 0.5. */
export function encodeVectors(
  v: Float32Array,
  mask: ArrayLike<number>,
  halfExtent = 1,
  centre = [0, 0, 0],
): Float32Array {
  const out = new Float32Array(v.length);
  for (let i = 0; i < mask.length; i++) {
    if (!(mask[i] > 0)) continue;
    for (let k = 0; k < 3; k++)
      out[3 * i + k] = Math.min(1, Math.max(0, (v[3 * i + k] - centre[k]) / (2 * halfExtent) + 0.5));
  }
  return out;
}
