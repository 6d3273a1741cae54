import { describe, expect, it } from 'vitest';
import { compareArrays, randomArray, useGpuPage } from '@avatarme/testing';
import type { Shape4 } from '../core/tensor.ts';
import { centralDifferences, dot, maxRelativeError } from '../testing/finite-difference.ts';
import { pool2dBackwardReference } from './backward-reference.ts';
import { planPool2d, type Pool2dOptions } from './pool.ts';
import { pool2dReference } from './reference.ts';

const gpu = useGpuPage();
const page = gpu.module<typeof import('./backward.gpu.ts')>(new URL('./backward.gpu.ts', import.meta.url));

const size = (s: readonly number[]) => s.reduce((p, q) => p * q, 1);

const CASES: { name: string; shape: Shape4; o: Pool2dOptions }[] = [
  { name: 'max 2×2, odd 5×7, 3 channels', shape: [1, 5, 7, 3], o: { mode: 'max', kernel: 2 } },
  {
    name: 'max 3×3 stride 2 same (overlapping windows)',
    shape: [1, 7, 6, 5],
    o: { mode: 'max', kernel: 3, stride: 2, padding: 'same' },
  },
  {
    name: 'avg 3×3 stride 2 padding 1, include pad, batch 2',
    shape: [2, 6, 5, 3],
    o: { mode: 'avg', kernel: 3, stride: 2, padding: 1 },
  },
  {
    name: 'avg 3×3 stride 1 same (TF: padding excluded)',
    shape: [1, 5, 6, 6],
    o: { mode: 'avg', kernel: 3, stride: 1, padding: 'same' },
  },
  {
    name: 'avg 3×2 stride [1,2] padding [1,0,0,1]',
    shape: [1, 5, 7, 4],
    o: { mode: 'avg', kernel: [3, 2], stride: [1, 2], padding: [1, 0, 0, 1] },
  },
];

/** Distinct values 0.01 apart (a shuffled ramp), so no step of 1e-3 changes a window's maximum. */
function distinct(n: number, seed: number): Float32Array {
  const r = randomArray(n, seed);
  const order = Array.from(r.keys()).sort((i, j) => r[i] - r[j]);
  const x = new Float32Array(n);
  order.forEach((i, rank) => (x[i] = rank * 0.01 - 1));
  return x;
}

describe('pool2d input gradient: CPU reference against central differences of pool2dReference', () => {
  CASES.forEach((c, i) => {
    it(c.name, () => {
      const x = distinct(size(c.shape), 4500 + i);
      const dy = randomArray(size(planPool2d(c.shape, c.o).outShape), 4520 + i);
      // Linear in x between switches of the maximum, and no step of 1e-3 reaches one (values are
      // 1e-2 apart): only the f32 rounding of the outputs (≤ 6e-8·|y|) over 2e-3 is left.
      const fd = centralDifferences(x, (xs) => dot(dy, pool2dReference(xs, c.shape, c.o).data), 1e-3);
      expect(maxRelativeError(pool2dBackwardReference(x, c.shape, dy, c.o), fd)).toBeLessThan(1e-4);
    });
  });
});

describe('pool2d input gradient: WGSL against the CPU reference', () => {
  CASES.forEach((c, i) => {
    it(c.name, async () => {
      const x = distinct(size(c.shape), 4500 + i);
      const dy = randomArray(size(planPool2d(c.shape, c.o).outShape), 4520 + i);
      const got = await page.runPoolBackward({ x, dy, shape: c.shape, o: c.o });
      // Sums of ≤ 4 terms dy / divisor: a few ulps.
      const cmp = compareArrays(got.data, pool2dBackwardReference(x, c.shape, dy, c.o), {
        atol: 1e-6,
        rtol: 1e-6,
      });
      expect(cmp.ok, cmp.message).toBe(true);
      expect(got.nonZeroPadLanes).toBe(0);
      expect(got.reusedPoisoned).toBe(true);
      expect(got.liveBuffers).toBe(0);
    });
  });

  it('max: a tie sends the window gradient to its first tap only', async () => {
    const shape: Shape4 = [1, 2, 2, 1];
    const got = await page.runPoolBackward({
      x: new Float32Array([1, 1, 1, 1]),
      dy: new Float32Array([3]),
      shape,
      o: { mode: 'max', kernel: 2 },
    });
    expect(Array.from(got.data)).toEqual([3, 0, 0, 0]);
  });
});
