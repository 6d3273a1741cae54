import { describe, expect, it } from 'vitest';
import { maskedBlur } from './delight.ts';

/** The blur as first written: every tap added into Float32Arrays, row pass then column pass. */
function textbookMaskedBlur(
  size: number,
  values: Float32Array,
  channels: number,
  weights: Float32Array,
  sigma: number,
): Float32Array {
  const r = Math.ceil(3 * sigma);
  const k = Array.from({ length: 2 * r + 1 }, (_, i) => Math.exp(-0.5 * ((i - r) / sigma) ** 2));
  const c1 = channels + 1;
  let cur = new Float32Array(size * size * c1);
  for (let i = 0; i < size * size; i++) {
    const w = weights[i] > 0 ? weights[i] : 0;
    for (let c = 0; c < channels; c++) cur[c1 * i + c] = values[channels * i + c] * w;
    cur[c1 * i + channels] = w;
  }
  for (const [dx, dy] of [
    [1, 0],
    [0, 1],
  ]) {
    const next = new Float32Array(cur.length);
    for (let y = 0; y < size; y++)
      for (let x = 0; x < size; x++) {
        const o = c1 * (y * size + x);
        for (let j = -r; j <= r; j++) {
          const xx = x + dx * j;
          const yy = y + dy * j;
          if (xx < 0 || yy < 0 || xx >= size || yy >= size) continue;
          const src = c1 * (yy * size + xx);
          if (cur[src + channels] === 0) continue;
          const kw = k[j + r];
          for (let c = 0; c < c1; c++) next[o + c] += kw * cur[src + c];
        }
      }
    cur = next;
  }
  const out = new Float32Array(size * size * channels);
  for (let i = 0; i < size * size; i++) {
    const w = cur[c1 * i + channels];
    if (w > 1e-8) for (let c = 0; c < channels; c++) out[channels * i + c] = cur[c1 * i + c] / w;
  }
  return out;
}

function random(seed: number) {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

describe('maskedBlur', () => {
  it('gives the textbook blur bit for bit (1, 2 and 3 channels, holes, kernels wider than the map)', () => {
    for (const [size, channels, sigma] of [
      [17, 3, 1.3],
      [32, 1, 2],
      [9, 2, 4],
      [24, 3, 0.6],
    ]) {
      const next = random(size * 7 + channels);
      const values = Float32Array.from({ length: size * size * channels }, () => next() * 2 - 0.5);
      // A third of the texels without weight, some with negative weight (treated as none).
      const weights = Float32Array.from({ length: size * size }, () => {
        const v = next();
        return v < 0.3 ? 0 : v < 0.35 ? -v : v;
      });
      const got = maskedBlur(size, values, channels, weights, sigma);
      const want = textbookMaskedBlur(size, values, channels, weights, sigma);
      expect(Array.from(new Uint32Array(got.buffer))).toEqual(Array.from(new Uint32Array(want.buffer)));
    }
  });

  it('gives the textbook blur bit for bit where whole rows, columns and blocks have no weight', () => {
    // The passes visit only texels with weight: empty rows (top third), empty columns (right half
    // below it, but for one texel) and rows with weight only at an edge must still match.
    for (const [size, channels, sigma] of [
      [40, 3, 2.5],
      [33, 1, 5],
      [21, 2, 1],
    ]) {
      const next = random(size * 13 + channels);
      const values = Float32Array.from({ length: size * size * channels }, () => next() * 3 - 1);
      const weights = Float32Array.from({ length: size * size }, (_, i) => {
        const [x, y] = [i % size, Math.floor(i / size)];
        if (y < size / 3) return 0;
        if (x > size / 2) return x === size - 1 && y === size - 1 ? 0.7 : 0;
        return next() < 0.2 ? 0 : 0.1 + next();
      });
      const got = maskedBlur(size, values, channels, weights, sigma);
      const want = textbookMaskedBlur(size, values, channels, weights, sigma);
      expect(Array.from(new Uint32Array(got.buffer))).toEqual(Array.from(new Uint32Array(want.buffer)));
    }
  });
});
