import { describe, expect, it } from 'vitest';
import { rng, useGpuPage } from '@avatarme/testing';
import { highFrequencyEnergy, seamStep } from './completion-figures.ts';

const gpu = useGpuPage();
const page = gpu.module<typeof import('./complete-albedo.gpu.ts')>(
  new URL('./complete-albedo.gpu.ts', import.meta.url),
);
const S = 32;

describe('completeAlbedo (32² synthetic layout)', () => {
  it('keeps seen texels, blends the mirror into a differently lit side without a step, synthesises the rest with texture', async () => {
    // A random 6×6 tile repeated (values 0.3–0.7), mirror x ↔ 31 − x. Seen: the left half below row 8
    // and the right half's bottom 8 rows, lit 0.1 darker there. The right half's rows 8–23 are mirrored
    // from the brighter left; rows 0–7 are seen on neither side: synthesis from the seen texels.
    const r = rng(4);
    const tile = Array.from({ length: 36 * 3 }, () => 0.3 + 0.4 * r());
    const texel = (y: number, x: number, c: number) =>
      tile[((y % 6) * 6 + (Math.min(x, S - 1 - x) % 6)) * 3 + c];
    const albedo = new Float32Array(S * S * 3);
    const observedMask = new Float32Array(S * S);
    const mirror = new Int32Array(S * S);
    for (let y = 0; y < S; y++)
      for (let x = 0; x < S; x++) {
        const i = y * S + x;
        mirror[i] = y * S + (S - 1 - x);
        const seen = (x < 16 && y >= 8) || (x >= 16 && y >= 24);
        if (!seen) continue;
        observedMask[i] = 1;
        for (let c = 0; c < 3; c++) albedo[3 * i + c] = texel(y, x, c) - (x >= 16 ? 0.1 : 0);
      }
    const regions = { classOf: new Uint8Array(S * S).fill(1), drawsFrom: [0, 1], names: ['outside', 'face'] };
    const got = await page.runCompleteAlbedo({ size: S, albedo, observedMask, mirror, regions });
    expect(got.stats).toEqual({ observed: 512, mirrored: 256, synthesised: 256, kept: 0, unmatched: 0 });
    expect(got.liveBuffers).toBe(0);
    const correction = (y: number, x: number) => got.albedo[3 * (y * S + x) + 1] - texel(y, x, 1);
    let roughest = 0;
    const synthesised: number[] = [];
    for (let y = 0; y < S; y++)
      for (let x = 0; x < S; x++) {
        const i = y * S + x;
        for (let c = 0; c < 3; c++)
          if (observedMask[i]) expect(got.albedo[3 * i + c]).toBe(albedo[3 * i + c]);
        if (y >= 11 && y < 21 && x >= 19 && x < 28)
          roughest = Math.max(roughest, Math.abs(correction(y, x + 1) - correction(y, x)));
        if (y < 8) synthesised.push(got.albedo[3 * i + 1]);
      }
    // Three texels and more from the border the mirrored texels keep the mirror's texture up to a
    // smooth (harmonic) correction: neighbouring corrections differ by far less than the tile's
    // texel-to-texel steps (~0.15). At the border itself the correction carries the texture
    // difference between the seen texels and the mirror, as Dirichlet data must.
    expect(roughest).toBeLessThan(0.02);
    // The 0.1 lighting step between the darker seen rows and the mirrored rows above is carried into
    // the mirror (a plain copy would leave it all at the border: correction 0 in row 23).
    const row23 =
      Array.from({ length: 16 }, (_, k) => correction(23, 16 + k)).reduce((a, v) => a + v, 0) / 16;
    expect(row23).toBeGreaterThan(-0.14);
    expect(row23).toBeLessThan(-0.06);
    const variance = (a: number[]) => {
      const m = a.reduce((s, v) => s + v, 0) / a.length;
      return a.reduce((s, v) => s + (v - m) ** 2, 0) / a.length;
    };
    const tileGreen = tile.filter((_, k) => k % 3 === 1);
    // A blur fill would have almost none of the tile's variance; coherent matches keep most of it.
    expect(variance(synthesised)).toBeGreaterThan(0.5 * variance(tileGreen));
    const seenRows = Float32Array.from({ length: S * S }, (_, i) => (i >= 8 * S ? 1 : 0));
    // The tile's own 5×5 local means differ by ~0.025 from place to place; a seam of the lighting's
    // size would read ~0.1.
    expect(seamStep(got.albedo, seenRows, new Float32Array(S * S).fill(1), S).step).toBeLessThan(0.05);
  });

  it('rejects inputs of the wrong length, naming the field and the size', async () => {
    const regions = { classOf: new Uint8Array(16).fill(1), drawsFrom: [0, 1], names: [] };
    await expect(
      page.runCompleteAlbedo({
        size: 4,
        albedo: new Float32Array(47),
        observedMask: new Float32Array(16),
        mirror: new Int32Array(16),
        regions,
      }),
    ).rejects.toThrow(/completeAlbedo: albedo has 47 values, expected 48 \(4² × 3\)/);
  });
});

describe('completion figures', () => {
  it('high-frequency energy is 0 on a flat patch and the texel variance minus neighbours on a checker', () => {
    const flat = new Float32Array(8 * 8 * 3).fill(0.4);
    const all = new Uint8Array(64).fill(1);
    expect(highFrequencyEnergy(flat, all, 8)).toBe(0);
    const checker = Float32Array.from({ length: 8 * 8 * 3 }, (_, k) =>
      (Math.floor(k / 3) % 2) ^ (Math.floor(k / 24) % 2) ? 1 : 0,
    );
    // A checker texel's 3×3 holds 5 of its own value and 4 of the other: residual ±4/9.
    expect(highFrequencyEnergy(checker, all, 8)).toBeCloseTo((4 / 9) ** 2, 6);
  });

  it('seam step: 0 across a texture with the same level, the level difference across a step', () => {
    const seen = Float32Array.from({ length: 64 }, (_, i) => (i % 8 < 4 ? 1 : 0));
    const all = new Float32Array(64).fill(1);
    const same = Float32Array.from({ length: 64 * 3 }, () => 0.5);
    expect(seamStep(same, seen, all, 8).step).toBe(0);
    const step = Float32Array.from({ length: 64 * 3 }, (_, k) => (Math.floor(k / 3) % 8 < 4 ? 0.5 : 0.7));
    const got = seamStep(step, seen, all, 8);
    expect(got.pairs).toBe(8);
    expect(got.step).toBeCloseTo(0.2, 6);
  });
});
