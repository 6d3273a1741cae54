// Skin the photo does not show, rebuilt in albedo space from the seen skin's statistics: the regional
// colour from a mean over the surface, the texture from blocks of the seen skin's de-lit albedo.
import { addSkinDetail, DETAIL_SCALE_CM, skinResidual, texelPitch } from '../unwrap/skin-detail.ts';
import { maskedBlur } from './delight.ts';

/**
 * Scale (cm, Gaussian σ on the surface) of the colour a completed texel keeps from the completion:
 * what varies more slowly (the forehead's tone fading into the scalp's, the jaw's into the neck's) is
 * regional colour and stays; what varies faster is replaced by the seen skin's texture. Push-pull
 * spreads the seen border's grain outwards as streaks 1–2 cm wide (on the sample: L* RMS 0.93 about
 * 5 mm means on the completed skin against the seen skin's 0.51), which read as blotches.
 */
export const UNSEEN_COLOUR_SCALE_CM = 1.5;

/**
 * Mean of `values` (C channels per texel) over the `mask` texels within a Gaussian of σ `sigma` on
 * the surface (3-D distance between texel positions, cut at 3σ), at each `targets` texel; 0 elsewhere
 * and where no mask texel is in reach. Across UV seams and texel densities alike: the head atlas's
 * face cell and back-of-head cell meet along the scalp and neck, at texel pitches three times apart.
 * Mask texels are pooled per cube of side σ (their mean position and value, weighted by count): on the sample
 * 3× faster than cubes of σ/2, and within 0.1 % of it on average (1 % at most).
 */
export function surfaceMean(
  values: ArrayLike<number>,
  channels: number,
  positions: ArrayLike<number>,
  mask: ArrayLike<number>,
  targets: ArrayLike<number>,
  sigma: number,
): Float32Array {
  const n = mask.length;
  if (values.length !== channels * n || positions.length !== 3 * n || targets.length !== n || !(sigma > 0))
    throw new RangeError(
      `surfaceMean: ${values.length} values of ${channels} channels and ${positions.length} positions, targets ${targets.length} for ${n} texels, sigma ${sigma}`,
    );
  const side = sigma;
  const width = 3 + channels + 1;
  // Integer keys (string keys cost more than the sums): cells within ±512 of the origin per axis.
  const keyOf = (a: number, b: number, c: number) => ((a + 512) * 1024 + (b + 512)) * 1024 + (c + 512);
  const cubes = new Map<number, Float64Array>();
  for (let i = 0; i < n; i++) {
    if (!(mask[i] > 0)) continue;
    const key = keyOf(
      Math.floor(positions[3 * i] / side),
      Math.floor(positions[3 * i + 1] / side),
      Math.floor(positions[3 * i + 2] / side),
    );
    let c = cubes.get(key);
    if (!c) cubes.set(key, (c = new Float64Array(width)));
    for (let k = 0; k < 3; k++) c[k] += positions[3 * i + k];
    for (let k = 0; k < channels; k++) c[3 + k] += values[channels * i + k];
    c[width - 1]++;
  }
  // Pooled cubes bucketed by 1.5σ: a target's Gaussian (cut at 3σ) reaches the 5³ buckets around
  // its own.
  const reach = 3 * sigma;
  const bucket = reach / 2;
  const buckets = new Map<number, Float64Array[]>();
  for (const c of cubes.values()) {
    for (let k = 0; k < width - 1; k++) c[k] /= c[width - 1];
    const key = keyOf(Math.floor(c[0] / bucket), Math.floor(c[1] / bucket), Math.floor(c[2] / bucket));
    const list = buckets.get(key);
    if (list) list.push(c);
    else buckets.set(key, [c]);
  }
  // The cubes of the 5³ buckets around a bucket, in bucket order: the targets of one bucket (dozens
  // of texels) share one list, and each target still adds its cubes in the same order.
  const around = new Map<number, Float64Array[]>();
  const cubesAround = (a: number, b: number, c: number): Float64Array[] => {
    const key = keyOf(a, b, c);
    let list = around.get(key);
    if (list) return list;
    list = [];
    for (let da = -2; da <= 2; da++)
      for (let db = -2; db <= 2; db++)
        for (let dc = -2; dc <= 2; dc++)
          for (const q of buckets.get(keyOf(a + da, b + db, c + dc)) ?? []) list.push(q);
    around.set(key, list);
    return list;
  };
  const out = new Float32Array(channels * n);
  const sum = new Float64Array(channels);
  for (let i = 0; i < n; i++) {
    if (!(targets[i] > 0)) continue;
    const [x, y, z] = [positions[3 * i], positions[3 * i + 1], positions[3 * i + 2]];
    const [a, b, c] = [Math.floor(x / bucket), Math.floor(y / bucket), Math.floor(z / bucket)];
    sum.fill(0);
    let total = 0;
    for (const q of cubesAround(a, b, c)) {
      const d2 = (x - q[0]) ** 2 + (y - q[1]) ** 2 + (z - q[2]) ** 2;
      if (d2 > reach * reach) continue;
      const w = q[width - 1] * Math.exp(-d2 / (2 * sigma * sigma));
      for (let k = 0; k < channels; k++) sum[k] += w * q[3 + k];
      total += w;
    }
    if (total > 0) for (let k = 0; k < channels; k++) out[channels * i + k] = sum[k] / total;
  }
  return out;
}

/**
 * Rebuilds the albedo of the `unseen` texels (bare skin the completion made up: scalp, ears, neck,
 * the back of the head, what an occluder covered) from the `seen` texels' (bare skin de-lit from the
 * photo), in place:
 * - colour: the mean of the seen and unseen skin's albedo within UNSEEN_COLOUR_SCALE_CM on the
 *   surface (surfaceMean), so the completion's regional colour and its continuity with the seen
 *   border stay, and its streaks and grain go;
 * - texture: blocks of the seen skin's albedo detail (skinResidual of the final albedo, σ
 *   DETAIL_SCALE_CM) quilted onto it (addSkinDetail), so the unseen skin has the texture the seen skin
 *   shows in the result — the same contrast, whatever the de-lighting's contrast shrink took.
 * albedo: linear RGB [S·S·3]; positions: model space (cm) [S·S·3]. Returns the number of texels
 * rebuilt (0 when the photo shows no bare skin).
 */
export function rebuildUnseenSkin(
  size: number,
  albedo: Float32Array,
  positions: ArrayLike<number>,
  seen: ArrayLike<number>,
  unseen: ArrayLike<number>,
  seed = 1,
): number {
  const texels = size * size;
  if (albedo.length !== 3 * texels || positions.length !== 3 * texels)
    throw new RangeError(
      `rebuildUnseenSkin: albedo ${albedo.length} and positions ${positions.length} values for ${size}² texels`,
    );
  if (!Array.prototype.some.call(seen, (v: number) => v > 0)) return 0;
  const both = Uint8Array.from({ length: texels }, (_, i) => (seen[i] > 0 || unseen[i] > 0 ? 1 : 0));
  const colour = surfaceMean(albedo, 3, positions, both, unseen, UNSEEN_COLOUR_SCALE_CM);
  const pitch = texelPitch(size, positions, seen);
  const sigma = Math.max(1, DETAIL_SCALE_CM / pitch);
  const residual = skinResidual(size, albedo, seen, sigma);
  // Quilted per texel density: a target texel `stride` times the seen texels' pitch takes the mean of
  // stride² seen texels, so the texture keeps its size on the surface.
  const stride = localStride(size, positions, both, pitch);
  for (const s of new Set(stride.filter((v, i) => unseen[i] > 0))) {
    const target = Uint8Array.from(stride, (v, i) => (v === s && unseen[i] > 0 ? 1 : 0));
    // Blocks of s² seen texels per texel must lie whole in the seen skin's residual: where none is
    // that large, smaller blocks (fewer blotches whole, the same texture statistics).
    let done = 0;
    for (let t = Math.max(1, sigma / s); !done; t = Math.max(1, t * 0.75)) {
      done = addSkinDetail(size, colour, residual, target, t, seed + s, s);
      if (t === 1) break;
    }
  }
  let rebuilt = 0;
  for (let i = 0; i < texels; i++)
    if (unseen[i] > 0) {
      albedo.set(colour.subarray(3 * i, 3 * i + 3), 3 * i);
      rebuilt++;
    }
  return rebuilt;
}

/**
 * Per texel of `mask`: its pitch on the surface (mean 3-D distance to its 4-neighbours in the mask,
 * smoothed over ≈ 3 texels so a stretched patch does not flicker between strides) over `pitch`,
 * rounded, at least 1 [S·S].
 */
function localStride(
  size: number,
  positions: ArrayLike<number>,
  mask: Uint8Array,
  pitch: number,
): Int32Array {
  const local = new Float32Array(size * size);
  const weight = new Float32Array(size * size);
  for (let i = 0; i < size * size; i++) {
    if (!mask[i]) continue;
    const [x, y] = [i % size, Math.floor(i / size)];
    let [sum, n] = [0, 0];
    for (const j of [
      x > 0 ? i - 1 : -1,
      x + 1 < size ? i + 1 : -1,
      y > 0 ? i - size : -1,
      y + 1 < size ? i + size : -1,
    ])
      if (j >= 0 && mask[j]) {
        sum += Math.hypot(
          positions[3 * i] - positions[3 * j],
          positions[3 * i + 1] - positions[3 * j + 1],
          positions[3 * i + 2] - positions[3 * j + 2],
        );
        n++;
      }
    if (n) [local[i], weight[i]] = [sum / n, 1];
  }
  const smooth = maskedBlur(size, local, 1, weight, 3);
  return Int32Array.from(smooth, (p, i) => (mask[i] ? Math.max(1, Math.round(p / pitch)) : 0));
}
