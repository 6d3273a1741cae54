import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { compareArrays, randomArray, useGpuPage } from '@avatarme/testing';
import type { Shape4 } from '../core/tensor.ts';
import { planPool2d, type Pool2dOptions } from './pool.ts';
import { pool2dReference } from './reference.ts';

const gpu = useGpuPage();
const page = gpu.module<typeof import('./pool.gpu.ts')>(new URL('./pool.gpu.ts', import.meta.url));

const size = (s: readonly number[]) => s.reduce((p, q) => p * q, 1);

// Max is exact. Average sums ≤ 9 values in [-1, 1] and divides once: rounding ≤ ~1e-6.
const TOL = { atol: 2e-6, rtol: 1e-6 };

const CASES: { name: string; shape: Shape4; o: Pool2dOptions }[] = [
  {
    name: 'max 2×2 (stride 2 by default), odd 7×9, 3 channels',
    shape: [1, 7, 9, 3],
    o: { mode: 'max', kernel: 2 },
  },
  {
    name: 'max 3×3 stride 2 padding 1, batch 2, 5 channels',
    shape: [2, 9, 8, 5],
    o: { mode: 'max', kernel: 3, stride: 2, padding: 1 },
  },
  {
    name: 'max 3×3 stride 1 same, 6 channels',
    shape: [1, 6, 7, 6],
    o: { mode: 'max', kernel: 3, stride: 1, padding: 'same' },
  },
  {
    name: 'avg 3×3 stride 2 padding 1 count_include_pad=False (pix2pixHD LocalEnhancer), 3 channels',
    shape: [1, 11, 9, 3],
    o: { mode: 'avg', kernel: 3, stride: 2, padding: 1, countIncludePad: false },
  },
  {
    name: 'avg 3×3 stride 2 padding 1 (PyTorch default count_include_pad=True), batch 2, 6 channels',
    shape: [2, 10, 7, 6],
    o: { mode: 'avg', kernel: 3, stride: 2, padding: 1 },
  },
  { name: 'avg 2×2 valid, 5 channels', shape: [1, 8, 6, 5], o: { mode: 'avg', kernel: 2 } },
  {
    name: 'avg 3×3 stride 2 same (TF: padding excluded), 13 channels',
    shape: [1, 8, 9, 13],
    o: { mode: 'avg', kernel: 3, stride: 2, padding: 'same' },
  },
  {
    name: 'avg 3×2 stride [1,2], asymmetric padding [1,0,0,1], include pad',
    shape: [1, 5, 7, 4],
    o: { mode: 'avg', kernel: [3, 2], stride: [1, 2], padding: [1, 0, 0, 1], countIncludePad: true },
  },
];

describe('pool2d parity with the CPU reference', () => {
  CASES.forEach((cs, i) => {
    it(cs.name, async () => {
      const x = randomArray(size(cs.shape), 2100 + i);
      const got = await page.runPool({ x, shape: cs.shape, o: cs.o });
      const ref = pool2dReference(x, cs.shape, cs.o);
      expect(got.shape).toEqual(ref.shape);
      const cmp = compareArrays(got.data, ref.data, TOL);
      expect(cmp.ok, cmp.message).toBe(true);
      expect(got.nonZeroPadLanes).toBe(0);
      expect(got.reusedPoisoned).toBe(true);
      expect(got.liveBuffers).toBe(0);
    });
  });

  it('avg 3×3 stride 1 padding 1 under a 4-workgroup dispatch limit (2-D grid)', async () => {
    const shape: Shape4 = [2, 13, 11, 6];
    const o: Pool2dOptions = { mode: 'avg', kernel: 3, stride: 1, padding: 1 };
    const x = randomArray(size(shape), 2190);
    // 4 workgroups per dimension: small tensors need the 2-D grid big images need on a real device
    const got = await page.runPool({
      x,
      shape,
      o,
      limits: { maxComputeWorkgroupsPerDimension: 4 },
    });
    const cmp = compareArrays(got.data, pool2dReference(x, shape, o).data, TOL);
    expect(cmp.ok, cmp.message).toBe(true);
    expect(got.nonZeroPadLanes).toBe(0);
  });

  it('rejects padding as large as the kernel, naming the input shape', async () => {
    const c: Parameters<typeof page.runPool>[0] = {
      x: new Float32Array(1 * 5 * 5 * 3),
      shape: [1, 5, 5, 3],
      o: { mode: 'max', kernel: 2, padding: 2 },
    };
    await expect(page.runPool(c)).rejects.toThrow(
      /pool2d\.max: padding \[2, 2, 2, 2\] must be smaller than the 2×2 kernel \(input \[1, 5, 5, 3\]\)/,
    );
  });
});

describe('pool2d reference against TF.js (CPU backend) for TF "same" and "valid"', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });
  it.each([
    { mode: 'avg' as const, k: 3, s: 2, pad: 'same' as const },
    { mode: 'max' as const, k: 3, s: 2, pad: 'same' as const },
    { mode: 'avg' as const, k: 2, s: 1, pad: 'valid' as const },
  ])('$mode k$k s$s $pad', ({ mode, k, s, pad }) => {
    const shape: Shape4 = [2, 7, 8, 3];
    const x = randomArray(size(shape), 2200);
    const t = tf.tensor4d(x, shape);
    const y = mode === 'avg' ? tf.avgPool(t, k, s, pad) : tf.maxPool(t, k, s, pad);
    const ref = pool2dReference(x, shape, { mode, kernel: k, stride: s, padding: pad });
    expect(y.shape).toEqual(ref.shape);
    const cmp = compareArrays(ref.data, y.dataSync(), TOL);
    expect(cmp.ok, cmp.message).toBe(true);
    tf.dispose([t, y]);
  });
});

describe('pool2d planning (pure)', () => {
  it('defaults the stride to the kernel and count_include_pad by padding kind', () => {
    expect(planPool2d([1, 8, 8, 3], { mode: 'avg', kernel: 2 }).outShape).toEqual([1, 4, 4, 3]);
    expect(planPool2d([1, 8, 8, 3], { mode: 'avg', kernel: 3, stride: 2, padding: 1 }).countIncludePad).toBe(
      true,
    );
    expect(
      planPool2d([1, 8, 8, 3], { mode: 'avg', kernel: 3, stride: 2, padding: 'same' }).countIncludePad,
    ).toBe(false);
  });
});
