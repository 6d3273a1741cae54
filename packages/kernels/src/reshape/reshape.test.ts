import { describe, expect, it } from 'vitest';
import { randomArray, useGpuPage } from '@avatarme/testing';
import type { Shape4 } from '../core/tensor.ts';
import { resolveReshape, resolveSlice } from './reshape.ts';
import { sliceReference } from './reference.ts';

const gpu = useGpuPage();
const page = gpu.module<typeof import('./reshape.gpu.ts')>(new URL('./reshape.gpu.ts', import.meta.url));

const size = (s: readonly number[]) => s.reduce((p, q) => p * q, 1);

// A device that allows 4 workgroups per dispatch dimension: these small tensors then need the 2-D
// grids (grid1d rows) that images above 65,535 × 64 vec4 groups need on a real device.
const SMALL_DEVICE = { maxComputeWorkgroupsPerDimension: 4 };

// Both ops only move values: outputs must equal the reference exactly.
const RESHAPES: { from: Shape4; to: Shape4; expect: number[] }[] = [
  { from: [1, 4, 5, 6], to: [1, 4, 10, 3], expect: [1, 4, 10, 3] },
  { from: [2, 3, 5, 3], to: [2, 1, 1, 45], expect: [2, 1, 1, 45] },
  { from: [2, 1, 1, 30], to: [2, 2, 3, 5], expect: [2, 2, 3, 5] },
  { from: [1, 3, 7, 5], to: [1, 7, -1, 5], expect: [1, 7, 3, 5] },
  { from: [2, 3, 4, 6], to: [3, 2, 2, 12], expect: [3, 2, 2, 12] },
];

describe('reshape parity (row-major NHWC order preserved)', () => {
  RESHAPES.forEach((r, i) => {
    it(`${JSON.stringify(r.from)} → ${JSON.stringify(r.to)}`, async () => {
      const x = randomArray(size(r.from), 500 + i);
      const got = await page.runReshape({ x, shape: r.from, to: r.to });
      expect(got.shape).toEqual(r.expect);
      expect(got.data).toEqual(x);
      expect(got.reusedPoisoned).toBe(true);
      expect(got.nonZeroPadLanes).toBe(0);
      expect(got.liveBuffers).toBe(0);
    });
  });

  it('[2, 8, 9, 6] → [2, 8, 18, 3] under a 4-workgroup dispatch limit (2-D grid)', async () => {
    const x = randomArray(2 * 8 * 9 * 6, 590);
    const c: Parameters<typeof page.runReshape>[0] = {
      x,
      shape: [2, 8, 9, 6],
      to: [2, 8, 18, 3],
      limits: SMALL_DEVICE,
    };
    const got = await page.runReshape(c);
    expect(got.data).toEqual(x);
    expect(got.nonZeroPadLanes).toBe(0);
  });

  it('rejects a shape with another element count, naming both shapes', async () => {
    const c: Parameters<typeof page.runReshape>[0] = {
      x: new Float32Array(30),
      shape: [1, 2, 3, 5],
      to: [1, 2, 2, 7],
    };
    await expect(page.runReshape(c)).rejects.toThrow(
      /reshape: cannot reshape \[1, 2, 3, 5\] \(30 elements\) to \[1, 2, 2, 7\]/,
    );
  });
});

const SLICES: { shape: Shape4; begin: Shape4; size: Shape4 }[] = [
  { shape: [1, 6, 7, 5], begin: [0, 1, 2, 0], size: [1, 4, 3, 5] },
  { shape: [2, 5, 5, 6], begin: [1, 0, 1, 1], size: [1, 5, 3, 3] },
  { shape: [2, 4, 3, 13], begin: [0, 1, 0, 6], size: [2, 2, 3, 7] },
  { shape: [1, 3, 9, 8], begin: [0, 0, 4, 4], size: [1, -1, -1, -1] },
  { shape: [2, 3, 3, 3], begin: [0, 0, 0, 2], size: [2, 3, 3, 1] },
];

describe('slice parity with the CPU reference', () => {
  SLICES.forEach((s, i) => {
    it(`${JSON.stringify(s.shape)} begin ${JSON.stringify(s.begin)} size ${JSON.stringify(s.size)}`, async () => {
      const x = randomArray(size(s.shape), 600 + i);
      const got = await page.runSlice({ x, ...s });
      const outShape = resolveSlice(s.shape, s.begin, s.size);
      expect(got.shape).toEqual(outShape);
      expect(got.data).toEqual(sliceReference(x, s.shape, s.begin, outShape));
      expect(got.reusedPoisoned).toBe(true);
      expect(got.nonZeroPadLanes).toBe(0);
      expect(got.liveBuffers).toBe(0);
    });
  });

  it('slice under a 4-workgroup dispatch limit (2-D grid)', async () => {
    const s = { shape: [2, 9, 10, 7] as Shape4, begin: [0, 1, 1, 1] as Shape4, size: [2, 8, 9, 5] as Shape4 };
    const x = randomArray(size(s.shape), 690);
    const got = await page.runSlice({ x, ...s, limits: SMALL_DEVICE });
    expect(got.data).toEqual(sliceReference(x, s.shape, s.begin, s.size));
    expect(got.nonZeroPadLanes).toBe(0);
  });

  it('rejects a slice past the end, naming begin, size and the input shape', async () => {
    const c: Parameters<typeof page.runSlice>[0] = {
      x: new Float32Array(2 * 4 * 4 * 3),
      shape: [2, 4, 4, 3],
      begin: [0, 2, 0, 1],
      size: [2, 3, 4, 2],
    };
    await expect(page.runSlice(c)).rejects.toThrow(
      /slice: begin \[0, 2, 0, 1\] size \[2, 3, 4, 2\] is not inside input \[2, 4, 4, 3\]/,
    );
  });
});

describe('reshape and slice shape rules (pure)', () => {
  it('infers one -1 and rejects two', () => {
    expect(resolveReshape([2, 3, 4, 5], [2, -1, 1, 5])).toEqual([2, 12, 1, 5]);
    expect(() => resolveReshape([2, 3, 4, 5], [-1, -1, 1, 5])).toThrow(/cannot reshape/);
    expect(() => resolveReshape([2, 3, 4, 5], [7, -1, 1, 5])).toThrow(/cannot reshape/);
  });
  it('resolves size -1 to the end of the axis', () => {
    expect(resolveSlice([1, 5, 6, 7], [0, 1, 2, 3], [-1, -1, 2, -1])).toEqual([1, 4, 2, 4]);
  });
});
