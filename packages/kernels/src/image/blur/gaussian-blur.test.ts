import { describe, expect, it } from 'vitest';
import { compareArrays, randomArray, useGpuPage } from '@avatarme/testing';
import type { Shape4 } from '../../core/tensor.ts';
import type { GaussianBlurOptions } from './gaussian-blur.ts';
import { gaussianBlurReference } from './reference.ts';

const gpu = useGpuPage();
const page = gpu.module<typeof import('./gaussian-blur.gpu.ts')>(
  new URL('./gaussian-blur.gpu.ts', import.meta.url),
);

// Weights come from f32 exp (a few ulps) and are normalised by their own sum, so they sum to 1 within
// ~1e-7; two passes of ≤ 41 taps of values in [-1, 1] accumulate ~1e-6. 1e-5 has margin; a wrong tap
// or border index is O(0.01) or more.
const TOL = { atol: 1e-5, rtol: 1e-5 };

const CASES: { shape: Shape4; options: GaussianBlurOptions }[] = [
  { shape: [1, 9, 11, 3], options: { sigma: 1.2 } }, // default radius 4, replicate
  { shape: [1, 7, 6, 5], options: { sigma: 0.8, border: 'reflect' } },
  { shape: [2, 5, 8, 1], options: { sigma: 2, radius: 9, border: 'reflect' } }, // radius beyond the image
  { shape: [1, 6, 5, 8], options: { sigma: 3, radius: 10 } }, // radius beyond the image, replicate
  { shape: [1, 1, 7, 4], options: { sigma: 1, border: 'reflect' } }, // a single row
];

function sizeOf(s: readonly number[]): number {
  return s.reduce((a, b) => a * b, 1);
}

describe('gaussianBlur', () => {
  CASES.forEach((cs, i) => {
    it(`${cs.shape.join('×')} σ ${cs.options.sigma} r ${cs.options.radius ?? 'default'} ${cs.options.border ?? 'replicate'}`, async () => {
      const x = randomArray(sizeOf(cs.shape), 110 + i);
      const got = await page.runGaussianBlur({
        x,
        shape: cs.shape,
        options: cs.options,
      });
      const cmp = compareArrays(got.data, gaussianBlurReference(x, cs.shape, cs.options), TOL);
      expect(cmp.ok, cmp.message).toBe(true);
      expect(got.liveBuffers).toBe(0);
    });
  });

  it('keeps a constant image constant and an impulse sums to 1 away from borders', async () => {
    const shape: Shape4 = [1, 15, 15, 1];
    const flat = new Float32Array(225).fill(0.37);
    const a = await page.runGaussianBlur({
      x: flat,
      shape,
      options: { sigma: 1.5, border: 'reflect' },
    });
    expect(compareArrays(a.data, flat, { atol: 1e-6 }).ok).toBe(true);
    const impulse = new Float32Array(225);
    impulse[7 * 15 + 7] = 1;
    const b = await page.runGaussianBlur({
      x: impulse,
      shape,
      options: { sigma: 1.5 },
    });
    expect(b.data.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 5);
    expect(b.data[7 * 15 + 7]).toBe(Math.max(...b.data));
  });

  it('rejects a non-positive sigma', async () => {
    await expect(
      page.runGaussianBlur({
        x: new Float32Array(4),
        shape: [1, 2, 2, 1],
        options: { sigma: 0 },
      }),
    ).rejects.toThrow(/gaussianBlur: sigma 0 must be positive/);
  });
});
