import { describe, expect, it } from 'vitest';
import { rng, useGpuPage } from '@avatarme/testing';
import { exemplarClasses } from './complete-albedo.ts';
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

  it('completes a hole in the lips from the lips, and keeps its start when the photo shows too few', async () => {
    // Skin (beige ± 0.05) everywhere but a block of lips (red ± 0.05): rows 8–23, columns 4–27 (384
    // texels), of which rows 14–17, columns 12–19 are unseen (the mouth's opening). Start: grey.
    const r = rng(7);
    const run = async (lipRows: [number, number], hole: [number, number]) => {
      const albedo = new Float32Array(S * S * 3);
      const observedMask = new Float32Array(S * S);
      const classOf = new Uint8Array(S * S).fill(1);
      for (let y = 0; y < S; y++)
        for (let x = 0; x < S; x++) {
          const i = y * S + x;
          const lip = y >= lipRows[0] && y <= lipRows[1] && x >= 4 && x <= 27;
          if (lip) classOf[i] = 5;
          if (lip && y >= hole[0] && y <= hole[1] && x >= 12 && x <= 19) continue;
          observedMask[i] = 1;
          const base = lip ? [0.6, 0.15, 0.18] : [0.7, 0.55, 0.45];
          for (let c = 0; c < 3; c++) albedo[3 * i + c] = base[c] + 0.1 * (r() - 0.5);
        }
      const regions = {
        classOf,
        drawsFrom: [0, 1, 2, 2, 1, 5],
        fallback: [undefined, undefined, undefined, undefined, undefined, 0] as number[],
        names: ['outside', 'face', 'forehead', 'scalp', 'neck', 'lips'],
      };
      const initial = new Float32Array(S * S * 3).fill(0.5);
      return page.runCompleteAlbedo({
        size: S,
        albedo,
        observedMask,
        mirror: new Int32Array(S * S).fill(-1),
        regions,
        initial,
      });
    };
    const green = (got: { albedo: Float32Array }, y0: number, y1: number) => {
      const v: number[] = [];
      for (let y = y0; y <= y1; y++) for (let x = 12; x <= 19; x++) v.push(got.albedo[3 * (y * S + x) + 1]);
      return v.reduce((a, b) => a + b, 0) / v.length;
    };
    const many = await run([8, 23], [14, 17]);
    expect(many.stats.synthesised).toBe(32);
    // Lips' green 0.15, skin's 0.55: synthesised from the skin around, the hole would be skin-coloured.
    expect(green(many, 14, 17)).toBeLessThan(0.25);
    // 6 rows of lips (144 texels, 112 seen: under the 256 an exemplar needs): the start is kept, not
    // replaced by the skin the photo shows most.
    const few = await run([12, 17], [14, 17]);
    expect(few.stats.kept).toBe(32);
    expect(green(few, 14, 17)).toBeCloseTo(0.5, 5);
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

describe('exemplarClasses', () => {
  it('puts the lips in a class of their own that draws from itself and keeps its start when unseen', () => {
    // A 4×4 layout, all skin region (1) facing forward, core skin in rows 1–2; texels 9 and 10 lips.
    const size = 4;
    const positions = Float32Array.from({ length: 48 }, (_, k) => (k % 3 === 1 ? 3 - Math.floor(k / 12) : 0));
    const normals = Float32Array.from({ length: 48 }, (_, k) => (k % 3 === 2 ? 1 : 0));
    const core = Float32Array.from({ length: 16 }, (_, i) => (i >= 4 && i < 12 ? 1 : 0));
    const lips = Uint8Array.from({ length: 16 }, (_, i) => (i === 9 || i === 10 ? 1 : 0));
    const got = exemplarClasses(size, new Uint8Array(16).fill(1), 1, positions, normals, core, lips);
    const lipClass = got.names.indexOf('lips');
    expect(Array.from(got.classOf).map((k) => got.names[k])).toEqual([
      ...Array(4).fill('forehead'),
      ...Array(5).fill('face'),
      'lips',
      'lips',
      'face',
      ...Array(4).fill('neck'),
    ]);
    expect(got.drawsFrom[lipClass]).toBe(lipClass);
    expect(got.fallback?.[lipClass]).toBe(0);
    // Without lips, no texel is in the class.
    const none = exemplarClasses(size, new Uint8Array(16).fill(1), 1, positions, normals, core);
    expect(none.classOf.includes(lipClass)).toBe(false);
  });
});
