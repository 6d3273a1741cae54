import { describe, expect, it } from 'vitest';
import { rng } from '@avatarme/testing';
import { addSkinDetail, skinResidual } from './skin-detail.ts';

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
    const r = skinResidual(size, rgb, reference);
    const defined = Array.from(r).filter((v) => !Number.isNaN(v));
    expect(defined.length).toBeGreaterThan(size * size); // most of the left half, 3 channels
    expect(Math.abs(defined.reduce((a, b) => a + b, 0) / defined.length)).toBeLessThan(0.005);
    for (let i = 0; i < size * size; i++) if (!reference[i]) expect(Number.isNaN(r[3 * i])).toBe(true);
  });

  it('gives flat target texels the source grain, reproducibly, and leaves other texels alone', () => {
    const { size, rgb, reference } = layout(5);
    const residual = skinResidual(size, rgb, reference);
    const target = reference.map((s) => 1 - s);
    const a = Float32Array.from(rgb);
    const changed = addSkinDetail(size, a, residual, target, 7);
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
    addSkinDetail(size, b, residual, target, 7);
    expect(b).toEqual(a);
  });

  it('changes nothing when no block of skin is whole', () => {
    const { size, rgb } = layout(9);
    const residual = skinResidual(size, rgb, new Float32Array(size * size));
    const tex = Float32Array.from(rgb);
    expect(addSkinDetail(size, tex, residual, new Float32Array(size * size).fill(1))).toBe(0);
    expect(tex).toEqual(rgb);
  });
});
