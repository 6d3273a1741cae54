import { describe, expect, it } from 'vitest';
import { compareArrays, rng, useGpuPage } from '@avatarme/testing';
import type { Shape4 } from '../core/tensor.ts';
import { planPatchMatch } from './patchmatch.ts';
import { patchMatchReference } from './reference.ts';

const gpu = useGpuPage();
const page = gpu.module<typeof import('./patchmatch.gpu.ts')>(
  new URL('./patchmatch.gpu.ts', import.meta.url),
);

// Matching is exact on both sides (integer distances, the same hashed draws), so the fields must be
// equal. A voted value is the mean of at most 25 source values in [0, 1]: f32 summation leaves under
// 25 ulps of 1 (3e-6); 1e-5 has margin, a wrong vote offset or weight is off by O(0.1).
const TOL = { atol: 1e-5, rtol: 0 };
const S = 32;

/** Class maps: each pixel draws from and offers `cls(y, x)`. */
function classMap(cls: (y: number, x: number) => number): Float32Array {
  const out = new Float32Array(S * S * 2);
  for (let y = 0; y < S; y++)
    for (let x = 0; x < S; x++) out.fill(cls(y, x), 2 * (y * S + x), 2 * (y * S + x) + 2);
  return out;
}

function punch(image: Float32Array, known: Float32Array, c: number, hole: (y: number, x: number) => boolean) {
  for (let y = 0; y < S; y++)
    for (let x = 0; x < S; x++)
      if (hole(y, x)) {
        known[y * S + x] = 0;
        image.fill(0.5, (y * S + x) * c, (y * S + x + 1) * c);
      }
}

describe('patchMatchFill', () => {
  it('matches the CPU reference with the same seed: 32×32 RGB, two classes, holes in both', async () => {
    const shape: Shape4 = [1, S, S, 3];
    const r = rng(3);
    const image = Float32Array.from({ length: S * S * 3 }, (_, i) => {
      const p = Math.floor(i / 3);
      return Math.min(1, Math.max(0, 0.3 + 0.01 * (p % S) + 0.3 * r()));
    });
    const known = new Float32Array(S * S).fill(1);
    punch(image, known, 3, (y, x) => (y > 10 && y < 17 && x > 3 && x < 12) || (y > 20 && x > 22 && x < 28));
    const classes = classMap((y, x) => (x < 14 ? 1 : 2));
    const options = { seed: 7, iterations: 2 };
    const got = await page.runPatchMatch({ image, known, classes, shape, options });
    const want = patchMatchReference(image, known, classes, shape, options);
    expect(Array.from(got.nnf)).toEqual(Array.from(want.nnf));
    const cmp = compareArrays(got.data, want.image, TOL);
    expect(cmp.ok, cmp.message).toBe(true);
    expect(got.liveBuffers).toBe(0);
    // The centre vote copies source pixels: bit-identical to the reference.
    const centre = { ...options, finalVote: 'centre' as const };
    const gotC = await page.runPatchMatch({ image, known, classes, shape, options: centre });
    const wantC = patchMatchReference(image, known, classes, shape, centre);
    expect(Array.from(gotC.nnf)).toEqual(Array.from(wantC.nnf));
    expect(compareArrays(gotC.data, wantC.image, { atol: 0 }).ok).toBe(true);
  });

  it('recovers a hole exactly when an exact copy of its surroundings lies elsewhere', async () => {
    // Random levels (no two patches alike) with a 10×10 block copied: the 4×4 hole inside the copy
    // has exactly one zero-distance source offset, which search and propagation must find.
    const shape: Shape4 = [1, S, S, 3];
    const r = rng(5);
    const truth = Float32Array.from({ length: S * S * 3 }, () => Math.round(r() * 255) / 255);
    for (let y = 0; y < 10; y++)
      for (let x = 0; x < 10; x++)
        for (let ch = 0; ch < 3; ch++)
          truth[((18 + y) * S + 18 + x) * 3 + ch] = truth[((4 + y) * S + 4 + x) * 3 + ch];
    const image = Float32Array.from(truth);
    const known = new Float32Array(S * S).fill(1);
    punch(image, known, 3, (y, x) => y >= 21 && y < 25 && x >= 21 && x < 25);
    const got = await page.runPatchMatch({
      image,
      known,
      classes: classMap(() => 1),
      shape,
      options: { seed: 1, tries: 16, iterations: 4 },
    });
    const cmp = compareArrays(got.data, truth, { atol: 1e-6, rtol: 0 });
    expect(cmp.ok, cmp.message).toBe(true);
  });

  it('draws each class only from its own exemplar and keeps a textured exemplar’s variance', async () => {
    // Left: class 1, values in [0.2, 0.3]. Right: class 2, a random 6×6 tile repeated (texture with
    // structure, so matches are coherent). A hole in each; a one-channel image.
    const shape: Shape4 = [1, S, S, 1];
    const r = rng(9);
    const tile = Array.from({ length: 36 }, () => r());
    const image = Float32Array.from({ length: S * S }, (_, i) => {
      const [y, x] = [Math.floor(i / S), i % S];
      return x < 16 ? 0.2 + 0.1 * r() : tile[(y % 6) * 6 + (x % 6)];
    });
    const known = new Float32Array(S * S).fill(1);
    const inLeft = (y: number, x: number) => y > 8 && y < 20 && x > 3 && x < 12;
    const inRight = (y: number, x: number) => y > 8 && y < 20 && x > 19 && x < 28;
    punch(image, known, 1, (y, x) => inLeft(y, x) || inRight(y, x));
    const got = await page.runPatchMatch({
      image,
      known,
      classes: classMap((_, x) => (x < 16 ? 1 : 2)),
      shape,
    });
    const filled: number[] = [];
    for (let y = 0; y < S; y++)
      for (let x = 0; x < S; x++) {
        const v = got.data[y * S + x];
        if (inLeft(y, x)) {
          expect(v).toBeGreaterThanOrEqual(0.2 - 1e-6);
          expect(v).toBeLessThanOrEqual(0.3 + 1e-6);
        }
        if (inRight(y, x)) filled.push(v);
      }
    const variance = (a: number[]) => {
      const m = a.reduce((s, v) => s + v, 0) / a.length;
      return a.reduce((s, v) => s + (v - m) ** 2, 0) / a.length;
    };
    // Averaging incoherent votes would shrink the variance towards 1/25 of the exemplar's.
    expect(variance(filled)).toBeGreaterThan(0.7 * variance(tile));
  });

  it('plans jump-flood steps from a quarter of the longer side down to 1, then 1 again', () => {
    expect(planPatchMatch(32, 20).steps).toEqual([8, 4, 2, 1, 1]);
    expect(planPatchMatch(3, 3).steps).toEqual([1]);
    expect(() => planPatchMatch(8, 8, { radius: 4 })).toThrow(
      /patchMatchFill: radius 4 must be an integer in \[1, 3\] \(image 8×8\)/,
    );
  });
});
