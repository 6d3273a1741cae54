import { describe, expect, it } from 'vitest';
import { rng } from '@avatarme/testing';
import { rebuildUnseenSkin, surfaceMean } from './unseen-skin.ts';

/**
 * A 96×96 layout of two UV islands on one plane z = 0 (model units cm): the left 64 columns at pitch
 * 0.2 cm (the face cell's), x from 0 to 12.8 cm; the right 32 at pitch 0.6 cm (the back cell's),
 * continuing the plane from 12.8 to 32 cm. Seen skin: columns 0–39, a tone with ±0.04 white grain.
 * Unseen (completed) skin: the rest, a tone 0.05 darker with vertical streaks of ±0.06 four texels
 * wide (push-pull's) and no grain.
 */
function layout() {
  const size = 96;
  const random = rng(11);
  const positions = new Float32Array(size * size * 3);
  const albedo = new Float32Array(size * size * 3);
  const seen = new Uint8Array(size * size);
  const unseen = new Uint8Array(size * size);
  const tone = [0.6, 0.42, 0.33];
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const i = y * size + x;
      const coarse = x >= 64;
      const pitch = coarse ? 0.6 : 0.2;
      positions.set([coarse ? 12.8 + (x - 64) * 0.6 : x * 0.2, y * pitch, 0], 3 * i);
      if (coarse && y >= 32) continue; // the coarse island covers as much surface height
      const isSeen = x < 40;
      (isSeen ? seen : unseen)[i] = 1;
      const grain = isSeen ? 0.04 * (2 * random() - 1) : 0;
      const streak = isSeen ? 0 : Math.floor(x / 4) % 2 ? 0.06 : -0.06;
      for (let c = 0; c < 3; c++) albedo[3 * i + c] = tone[c] - (isSeen ? 0 : 0.05) + grain + streak;
    }
  return { size, positions, albedo, seen, unseen };
}

const luminanceOf = (a: Float32Array, i: number) =>
  0.2126 * a[3 * i] + 0.7152 * a[3 * i + 1] + 0.0722 * a[3 * i + 2];

/** Variance of luminance about the mean of its 3×3 neighbours (all in mask), over the mask's texels in [x0, x1). */
function grainVariance(size: number, a: Float32Array, mask: Uint8Array, x0: number, x1: number) {
  let [sum, n] = [0, 0];
  for (let y = 1; y < size - 1; y++)
    for (let x = Math.max(1, x0); x < Math.min(size - 1, x1); x++) {
      let inside = true;
      let mean = 0;
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) {
          inside &&= mask[(y + dy) * size + x + dx] > 0;
          mean += luminanceOf(a, (y + dy) * size + x + dx) / 9;
        }
      if (!inside) continue;
      sum += (luminanceOf(a, y * size + x) - mean) ** 2;
      n++;
    }
  return sum / n;
}

describe('surfaceMean', () => {
  it('is the Gaussian mean over the mask in 3-D, across islands of different pitch', () => {
    const { size, positions, albedo, seen, unseen } = layout();
    const both = Uint8Array.from(seen, (s, i) => s | unseen[i]);
    const sigma = 1.5;
    const got = surfaceMean(albedo, 3, positions, both, both, sigma);
    // Brute force at a few texels, one on each side of the islands' border (x 63 | 64).
    for (const i of [40 * size + 20, 10 * size + 63, 10 * size + 64, 20 * size + 80]) {
      let [s, w] = [0, 0];
      for (let j = 0; j < size * size; j++) {
        if (!both[j]) continue;
        const d2 = [0, 1, 2].reduce((a, k) => a + (positions[3 * i + k] - positions[3 * j + k]) ** 2, 0);
        if (d2 > 9 * sigma * sigma) continue;
        const wj = Math.exp(-d2 / (2 * sigma * sigma));
        [s, w] = [s + wj * albedo[3 * j], w + wj];
      }
      // Pooling per cube of σ puts a cube's texels at their centroid, which moves each one's weight
      // by up to ≈ 10 % here; the colours within a cube (streaks ±0.06 four texels wide, grain ±0.04)
      // differ by up to 0.2, so the mean moves by < 0.01 (0.0067 measured; the sample's completed
      // skin, smoother, moved by 0.0006 on average against cubes of σ/2).
      expect(Math.abs(got[3 * i] - s / w)).toBeLessThan(0.01);
    }
    expect(got[3 * (70 * size + 80)]).toBe(0); // off the mask's reach: the empty corner
  });

  it('is, at every target, the mean over all pooled cubes in reach (targets share their neighbours lists)', () => {
    const { size, albedo, seen, unseen } = layout();
    // Shifted so that cells on both sides of the origin are used.
    const positions = layout().positions.map((v, j) => v - [10, 7, 0.3][j % 3]);
    const both = Uint8Array.from(seen, (s, i) => s | unseen[i]);
    const sigma = 1.5;
    const got = surfaceMean(albedo, 3, positions, both, both, sigma);
    // The cubes of side σ, pooled here by hand: centroid, mean colour, count.
    const cubes = new Map<string, number[]>();
    for (let j = 0; j < size * size; j++) {
      if (!both[j]) continue;
      const key = [0, 1, 2].map((k) => Math.floor(positions[3 * j + k] / sigma)).join();
      const c = cubes.get(key) ?? cubes.set(key, [0, 0, 0, 0, 0, 0, 0]).get(key)!;
      for (let k = 0; k < 3; k++)
        [c[k], c[3 + k]] = [c[k] + positions[3 * j + k], c[3 + k] + albedo[3 * j + k]];
      c[6]++;
    }
    let worst = 0;
    for (let i = 0; i < size * size; i++) {
      if (!both[i]) continue;
      const [s, w] = [[0, 0, 0], [0]];
      for (const c of cubes.values()) {
        const d2 = [0, 1, 2].reduce((a, k) => a + (positions[3 * i + k] - c[k] / c[6]) ** 2, 0);
        if (d2 > 9 * sigma * sigma) continue;
        const wc = c[6] * Math.exp(-d2 / (2 * sigma * sigma));
        for (let k = 0; k < 3; k++) s[k] += (wc * c[3 + k]) / c[6];
        w[0] += wc;
      }
      for (let k = 0; k < 3; k++) worst = Math.max(worst, Math.abs(got[3 * i + k] - s[k] / w[0]));
    }
    // Only the order of the sums differs, and the float32 result.
    expect(worst).toBeLessThan(1e-6);
  });
});

describe('rebuildUnseenSkin', () => {
  it('keeps the regional colour, drops the streaks and gives the seen skin’s grain at each texel pitch', () => {
    const { size, positions, albedo, seen, unseen } = layout();
    const before = Float32Array.from(albedo);
    expect(rebuildUnseenSkin(size, albedo, positions, seen, unseen, 3)).toBe(
      unseen.reduce((n, v) => n + v, 0),
    );
    for (let i = 0; i < size * size; i++)
      if (!unseen[i]) for (let c = 0; c < 3; c++) expect(albedo[3 * i + c]).toBe(before[3 * i + c]);
    const seenGrain = grainVariance(size, albedo, seen, 0, 40);
    // Streaks: column means of the fine unseen part (away from the seen border's 1.5 cm blend) vary by
    // ±0.06 before; after, by what the grain's mean over 96 rows leaves (≈ 0.04/√96·… ≪ 0.01).
    const columnMean = (a: Float32Array, x: number) => {
      let s = 0;
      for (let y = 0; y < size; y++) s += a[3 * (y * size + x) + 1];
      return s / size;
    };
    const spread = (a: Float32Array) => {
      const m = Array.from({ length: 12 }, (_, k) => columnMean(a, 48 + k));
      return Math.max(...m) - Math.min(...m);
    };
    expect(spread(before)).toBeGreaterThan(0.1);
    expect(spread(albedo)).toBeLessThan(0.02);
    // Regional colour: the unseen part's mean stays the completion's (0.05 below the seen tone, ± the
    // streaks' average), within 0.01.
    let [g, n] = [0, 0];
    for (let i = 0; i < size * size; i++)
      if (unseen[i] && i % size >= 48 && i % size < 60) [g, n] = [g + albedo[3 * i + 1], n + 1];
    expect(Math.abs(g / n - (0.42 - 0.05))).toBeLessThan(0.01);
    // Grain: the seen skin's variance, within 0.5–1.5× (quilting overlaps and the box mean of the
    // coarse island's 3×3 seen texels, whose white grain keeps 1/9 of its variance per texel).
    const fine = grainVariance(size, albedo, unseen, 44, 64);
    expect(fine / seenGrain).toBeGreaterThan(0.5);
    expect(fine / seenGrain).toBeLessThan(1.5);
    const coarse = grainVariance(size, albedo, unseen, 64, 96);
    expect(coarse / (seenGrain / 9)).toBeGreaterThan(0.5);
    expect(coarse / (seenGrain / 9)).toBeLessThan(1.5);
  });

  it('changes nothing without seen skin', () => {
    const { size, positions, albedo, unseen } = layout();
    const before = Float32Array.from(albedo);
    expect(rebuildUnseenSkin(size, albedo, positions, new Uint8Array(size * size), unseen)).toBe(0);
    expect(albedo).toEqual(before);
  });
});
