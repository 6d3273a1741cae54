import { describe, expect, it } from 'vitest';
import { rng } from '@avatarme/testing';
import { addSkinDetail, detailSigma, skinResidual } from './skin-detail.ts';

/** The detail's σ in these tests (texels). */
const SIGMA = 3;

/** A 32×32 layout: the left half skin with grain (±0.05 noise on a tone), the right half flat. */
function layout(seed: number) {
  const size = 32;
  const random = rng(seed);
  const rgb = new Float32Array(size * size * 3);
  const reference = new Float32Array(size * size);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const i = y * size + x;
      const skin = x < size / 2;
      reference[i] = skin ? 1 : 0;
      for (let c = 0; c < 3; c++) rgb[3 * i + c] = [0.7, 0.5, 0.4][c] + (skin ? 0.1 * (random() - 0.5) : 0);
    }
  return { size, rgb, reference };
}

const variance = (v: number[]) => {
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  return v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length;
};

describe('skin grain for completed texels', () => {
  it('the residual is zero-mean detail on skin and undefined elsewhere', () => {
    const { size, rgb, reference } = layout(3);
    const r = skinResidual(size, rgb, reference, SIGMA);
    const defined = Array.from(r).filter((v) => !Number.isNaN(v));
    expect(defined.length).toBeGreaterThan(size * size); // most of the left half, 3 channels
    expect(Math.abs(defined.reduce((a, b) => a + b, 0) / defined.length)).toBeLessThan(0.005);
    for (let i = 0; i < size * size; i++) if (!reference[i]) expect(Number.isNaN(r[3 * i])).toBe(true);
  });

  it('gives flat target texels the source grain, reproducibly, and leaves other texels alone', () => {
    const { size, rgb, reference } = layout(5);
    const residual = skinResidual(size, rgb, reference, SIGMA);
    const target = reference.map((s) => 1 - s);
    const a = Float32Array.from(rgb);
    const changed = addSkinDetail(size, a, residual, target, SIGMA, 7);
    expect(changed).toBe(size * size - reference.reduce((n, s) => n + s, 0));
    const grain = (img: Float32Array, skin: number) =>
      Array.from({ length: size * size }, (_, i) => i)
        .filter((i) => reference[i] === skin)
        .map((i) => img[3 * i]);
    // Before: the flat half has no variance; after: about the skin's, whose residual it copied.
    expect(variance(grain(rgb, 0))).toBe(0);
    const ratio = variance(grain(a, 0)) / variance(grain(rgb, 1));
    expect(ratio).toBeGreaterThan(0.4);
    expect(ratio).toBeLessThan(1.5);
    expect(grain(a, 1)).toEqual(grain(rgb, 1));
    const b = Float32Array.from(rgb);
    addSkinDetail(size, b, residual, target, SIGMA, 7);
    expect(b).toEqual(a);
  });

  it('changes nothing when no block of skin is whole', () => {
    const { size, rgb } = layout(9);
    const residual = skinResidual(size, rgb, new Float32Array(size * size), SIGMA);
    const tex = Float32Array.from(rgb);
    expect(addSkinDetail(size, tex, residual, new Float32Array(size * size).fill(1), SIGMA)).toBe(0);
    expect(tex).toEqual(rgb);
  });

  it('keeps mottling a few texels wide, not only texel-scale grain', () => {
    // Skin with blotches of period 8 texels (≈ 1.4 cm at the default face cell) of ±0.04.
    const size = 48;
    const rgb = new Float32Array(size * size * 3);
    const reference = new Float32Array(size * size).fill(1);
    for (let i = 0; i < size * size; i++) {
      const [x, y] = [i % size, Math.floor(i / size)];
      const blotch = 0.04 * Math.sin((2 * Math.PI * x) / 8) * Math.sin((2 * Math.PI * y) / 8);
      for (let c = 0; c < 3; c++) rgb[3 * i + c] = [0.7, 0.5, 0.4][c] + blotch;
    }
    const r = skinResidual(size, rgb, reference, SIGMA);
    const kept = [];
    const truth = [];
    for (let i = 0; i < size * size; i++) {
      const [x, y] = [i % size, Math.floor(i / size)];
      if (x < 10 || y < 10 || x >= size - 10 || y >= size - 10) continue;
      kept.push(r[3 * i]);
      truth.push(rgb[3 * i] - 0.7);
    }
    // The Gaussian (σ 3) passes almost nothing at that period, exp(−(2π·3/8)²/2)² ≈ 0.004; a 5×5 box
    // mean passes 0.23 of the amplitude, leaving 0.59 of the variance.
    expect(variance(kept) / variance(truth)).toBeGreaterThan(0.9);
  });

  it('clips a blot far beyond the skin grain to a few robust spreads', () => {
    const { size, rgb, reference } = layout(11);
    const i = 16 * size + 6;
    for (let c = 0; c < 3; c++) rgb[3 * i + c] = 0.05;
    const r = skinResidual(size, rgb, reference, SIGMA);
    const spread = Math.sqrt(variance(Array.from(r).filter((v, k) => !Number.isNaN(v) && k % 3 === 0)));
    expect(Math.abs(r[3 * i])).toBeLessThan(6 * spread);
    expect(r[3 * i]).toBeLessThan(0);
  });

  it('keeps the texture variance along the edges of the copied blocks', () => {
    const { size, rgb, reference } = layout(13);
    const big = 96;
    const residual = new Float32Array(big * big * 3).fill(NaN);
    const r = skinResidual(size, rgb, reference, SIGMA);
    // The 32² layout's residual in the top-left corner of a 96² map whose lower part is the target.
    for (let y = 0; y < size; y++) residual.set(r.subarray(3 * y * size, 3 * (y + 1) * size), 3 * y * big);
    const target = Float32Array.from({ length: big * big }, (_, i) => (i >= 40 * big ? 1 : 0));
    const tex = new Float32Array(big * big * 3).fill(0.5);
    addSkinDetail(big, tex, residual, target, SIGMA, 3);
    // Columns by their place in the grid of blocks (σ 3: step 4, 8 wide, starting at −2): the weights
    // of the two blocks over a texel are 1/8 and 7/8 or 3/8 and 5/8; a plain weighted average would
    // keep 0.53 of the variance at the latter.
    const byPhase = Array.from({ length: 4 }, () => [] as number[]);
    for (let y = 40; y < big; y++)
      for (let x = 0; x < big; x++) byPhase[(x + 2) % 4].push(tex[3 * (y * big + x)]);
    const v = byPhase.map(variance);
    const source = variance(Array.from(r).filter((x, k) => !Number.isNaN(x) && k % 3 === 0));
    for (const p of v) expect(p / source).toBeGreaterThan(0.6);
    expect(Math.min(...v) / Math.max(...v)).toBeGreaterThan(0.7);
  });

  it('sets the detail scale from the pitch of the reference texels on the surface', () => {
    const size = 16;
    const positions = Float32Array.from({ length: size * size * 3 }, (_, k) => {
      const i = Math.floor(k / 3);
      return k % 3 === 0 ? (i % size) * 0.2 : k % 3 === 1 ? Math.floor(i / size) * 0.2 : 0;
    });
    const reference = new Float32Array(size * size).fill(1);
    expect(detailSigma(size, positions, reference)).toBeCloseTo(5, 5); // 1 cm at 0.2 cm a texel
    expect(detailSigma(size, positions, new Float32Array(size * size))).toBe(1);
  });
});
