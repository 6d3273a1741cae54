import { describe, expect, it } from 'vitest';
import { compareArrays, randomArray, useGpuPage } from '@avatarme/testing';
import type { Shape4 } from '../core/tensor.ts';
import { planMoments } from './moments.ts';
import { momentsReference, softmaxReference } from './reference.ts';

const gpu = useGpuPage();
const page = gpu.module<typeof import('./reduce.gpu.ts')>(new URL('./reduce.gpu.ts', import.meta.url));

const size = (s: readonly number[]) => s.reduce((p, q) => p * q, 1);

// A device that allows 4 workgroups per dispatch dimension: these small tensors then need the 2-D
// grids (grid1d rows) that images above 65,535 × 64 vec4 groups need on a real device.
const SMALL_DEVICE = { maxComputeWorkgroupsPerDimension: 4 };

function offsetData(shape: Shape4, seed: number, offset: number): Float32Array {
  const x = randomArray(size(shape), seed);
  return x.map((v) => v + offset);
}

// Welford/Chan in f32 over ≤ 1,000 values of magnitude ≤ 101: the mean is within a few ulp of
// |mean| (≈ 1e-5 at 100) and the variance within ~1e-5 relative of its float64 value, because no step
// subtracts two large nearly equal numbers. E[x²] - E[x]² in f32 would be off by ~1e-2 at offset 100.
const CASES: { name: string; shape: Shape4; offset: number; perChunk?: number }[] = [
  { name: '6 channels, odd 7×9, one chunk', shape: [1, 7, 9, 6], offset: 0 },
  {
    name: 'batch 2, 3 channels, 11×13 in chunks of 16 pixels',
    shape: [2, 11, 13, 3],
    offset: 0,
    perChunk: 16,
  },
  {
    name: 'values 100 ± 1, 5 channels, 31×29 in chunks of 100',
    shape: [1, 31, 29, 5],
    offset: 100,
    perChunk: 100,
  },
  { name: 'values 100 ± 1, batch 2, 1 channel, 20×20', shape: [2, 20, 20, 1], offset: 100 },
];

describe('moments (mean, biased variance) parity with a float64 reference', () => {
  CASES.forEach((cs, i) => {
    it(cs.name, async () => {
      const x = offsetData(cs.shape, 700 + i, cs.offset);
      const got = await page.runMoments({ x, shape: cs.shape, perChunk: cs.perChunk });
      const ref = momentsReference(x, cs.shape);
      expect(got.mean.shape).toEqual([cs.shape[0], 1, 1, cs.shape[3]]);
      const m = compareArrays(got.mean.data, ref.mean, { atol: 1e-6, rtol: 2e-6, label: 'mean' });
      expect(m.ok, m.message).toBe(true);
      const v = compareArrays(got.variance.data, ref.variance, { atol: 1e-6, rtol: 1e-4, label: 'variance' });
      expect(v.ok, v.message).toBe(true);
      expect(got.mean.nonZeroPadLanes + got.variance.nonZeroPadLanes).toBe(0);
      expect(got.liveBuffers).toBe(0);
    });
  });
});

describe('moments on a smaller device', () => {
  it('plans chunks under a 4-workgroup dispatch limit', async () => {
    const shape: Shape4 = [2, 11, 13, 3];
    const x = randomArray(size(shape), 760);
    const got = await page.runMoments({
      x,
      shape,
      perChunk: 16,
      limits: SMALL_DEVICE,
    });
    const ref = momentsReference(x, shape);
    const m = compareArrays(got.mean.data, ref.mean, { atol: 1e-6, rtol: 2e-6, label: 'mean' });
    expect(m.ok, m.message).toBe(true);
    const v = compareArrays(got.variance.data, ref.variance, { atol: 1e-6, rtol: 1e-4, label: 'variance' });
    expect(v.ok, v.message).toBe(true);
  });

  it('checks the partial sums against maxStorageBufferBindingSize, naming op, shape and limit', async () => {
    const c: Parameters<typeof page.runMoments>[0] = {
      x: new Float32Array(64),
      shape: [1, 4, 4, 4],
      perChunk: 1,
      limits: { maxStorageBufferBindingSize: 256 },
    };
    await expect(page.runMoments(c)).rejects.toThrow(
      /moments: partial sums for \[1, 4, 4, 4\] needs 49152 bytes, above this device's maxStorageBufferBindingSize 256/,
    );
  });
});

describe('globalMean', () => {
  it('matches the reference on batch 2, 5 channels, 9×6', async () => {
    const shape: Shape4 = [2, 9, 6, 5];
    const x = randomArray(size(shape), 801);
    const got = await page.runGlobalMean({ x, shape });
    expect(got.shape).toEqual([2, 1, 1, 5]);
    // 54 values in [-1, 1] per mean: f32 rounding ≤ 1e-7.
    const cmp = compareArrays(got.data, momentsReference(x, shape).mean, { atol: 1e-6 });
    expect(cmp.ok, cmp.message).toBe(true);
    expect(got.nonZeroPadLanes).toBe(0);
    expect(got.liveBuffers).toBe(0);
  });

  it('handles a 1536×1536 image with values around 100 (576 chunks)', async () => {
    const got = await page.runLargeMean([1, 1536, 1536, 3]);
    // Welford per invocation over 64 values, then pairwise merges: relative error stays near f32's
    // 6e-8 instead of growing with the 2.4 million terms as one running f32 sum would.
    console.log(`[globalMean 1536²] worst relative error ${got.worstRel.toExponential(2)}`);
    expect(got.worstRel).toBeLessThan(1e-6);
  }, 120_000);

  it('plans chunks under the dispatch limit (pure)', () => {
    expect(planMoments(1536 * 1536)).toEqual({ perChunk: 4096, chunks: 576 });
    expect(planMoments(10)).toEqual({ perChunk: 4096, chunks: 1 });
    const huge = planMoments(2 ** 31, 65535);
    expect(huge.chunks).toBeLessThanOrEqual(65535);
    expect(huge.chunks * huge.perChunk).toBeGreaterThanOrEqual(2 ** 31);
  });
});

describe('softmax over channels', () => {
  const SHAPES: { shape: Shape4; scale: number }[] = [
    { shape: [1, 5, 7, 3], scale: 3 },
    { shape: [2, 3, 4, 6], scale: 3 },
    { shape: [1, 4, 3, 13], scale: 3 },
    // logits up to ±200: exp would overflow f32 without subtracting the maximum
    { shape: [1, 3, 3, 5], scale: 200 },
  ];
  SHAPES.forEach((s, i) => {
    it(`${JSON.stringify(s.shape)} logits ±${s.scale}`, async () => {
      const x = randomArray(size(s.shape), 900 + i, -s.scale, s.scale);
      const got = await page.runSoftmax({ x, shape: s.shape });
      // exp in f32 is within a few ulp, the sum of ≤ 13 terms rounds ≤ 13 times: 1e-6 relative.
      const cmp = compareArrays(got.data, softmaxReference(x, s.shape[3]), { atol: 1e-7, rtol: 1e-5 });
      expect(got.reusedPoisoned).toBe(true);
      expect(cmp.ok, cmp.message).toBe(true);
      expect(got.nonZeroPadLanes).toBe(0);
      expect(got.liveBuffers).toBe(0);
    });
  });

  it('under a 4-workgroup dispatch limit (2-D grid)', async () => {
    const shape: Shape4 = [2, 12, 13, 6];
    const x = randomArray(size(shape), 990, -3, 3);
    const got = await page.runSoftmax({ x, shape, limits: SMALL_DEVICE });
    const cmp = compareArrays(got.data, softmaxReference(x, 6), { atol: 1e-7, rtol: 1e-5 });
    expect(cmp.ok, cmp.message).toBe(true);
  });

  it('rejects an input that was disposed, naming the op and shape', async () => {
    await expect(page.runSoftmaxDisposed([1, 2, 2, 3])).rejects.toThrow(
      /softmax: tensor x \[1, 2, 2, 3\] was already disposed/,
    );
  });
});
