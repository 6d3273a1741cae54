import { describe, expect, it } from 'vitest';
import { compareArrays, randomArray, useGpuPage } from '@avatarme/testing';
import { conv2dReference } from '../conv/reference.ts';
import type { Shape4 } from '../core/tensor.ts';
import type { InstanceNormCase } from './norm.gpu.ts';
import { foldBatchNorm } from './norm.ts';
import { batchNormReference, instanceNormReference } from './reference.ts';

const gpu = useGpuPage();
const page = gpu.module<typeof import('./norm.gpu.ts')>(new URL('./norm.gpu.ts', import.meta.url));

const size = (s: readonly number[]) => s.reduce((p, q) => p * q, 1);

// Outputs are O(1). Inputs in [-1, 1]: mean and variance are within ~1e-6 relative of float64 (see
// reduce.test.ts), so normalised values are within ~1e-6; 1e-5 absolute leaves margin. Inputs around
// 100 ± 1: x - mean is exact (Sterbenz) but the f32 mean carries ~6e-6 absolute error, which divided by
// the standard deviation (≈ 0.58) gives ~1e-5; 1e-4 absolute leaves margin. Naive E[x²] - E[x]² in f32
// would be off by tens of percent there.
const TOL = { atol: 1e-5, rtol: 1e-5 };
const OFFSET_TOL = { atol: 1e-4, rtol: 0 };

const CASES: {
  name: string;
  shape: Shape4;
  offset?: number;
  affine?: boolean;
  relu?: boolean;
  eps?: number;
}[] = [
  { name: '3 channels, odd 7×5, no affine', shape: [1, 7, 5, 3] },
  { name: 'batch 2, 6 channels, affine', shape: [2, 6, 9, 6], affine: true },
  {
    name: 'batch 2, 5 channels, affine + relu, eps 1e-3',
    shape: [2, 5, 5, 5],
    affine: true,
    relu: true,
    eps: 1e-3,
  },
  { name: '8 channels, 1×1 spatial (variance 0 → beta)', shape: [1, 1, 1, 8], affine: true },
  { name: 'values 100 ± 1, 5 channels, 33×31', shape: [1, 33, 31, 5], offset: 100, affine: true },
  { name: 'values 100 ± 1, batch 2, 3 channels, 80×80', shape: [2, 80, 80, 3], offset: 100 },
];

describe('instanceNorm parity with a float64 reference', () => {
  CASES.forEach((cs, i) => {
    it(cs.name, async () => {
      const c = cs.shape[3];
      const x = randomArray(size(cs.shape), 1100 + i).map((v) => v + (cs.offset ?? 0));
      const gamma = cs.affine ? randomArray(c, 1200 + i, 0.5, 1.5) : undefined;
      const beta = cs.affine ? randomArray(c, 1300 + i) : undefined;
      const activation = cs.relu ? ('relu' as const) : undefined;
      const k: InstanceNormCase = { x, shape: cs.shape, eps: cs.eps, gamma, beta, activation };
      const got = await page.runInstanceNorm(k);
      const expected = instanceNormReference(x, cs.shape, { eps: cs.eps ?? 1e-5, gamma, beta, activation });
      const cmp = compareArrays(got.data, expected, cs.offset ? OFFSET_TOL : TOL);
      expect(cmp.ok, cmp.message).toBe(true);
      expect(got.nonZeroPadLanes).toBe(0);
      expect(got.reusedPoisoned).toBe(true);
      expect(got.liveBuffers).toBe(0);
    });
  });

  it('batch 2, 5 channels under a 4-workgroup dispatch limit (2-D grid, limit-driven chunks)', async () => {
    const shape: Shape4 = [2, 12, 13, 5];
    const x = randomArray(size(shape), 1190);
    // 4 workgroups per dimension: small tensors need the 2-D grid big images need on a real device
    const k: InstanceNormCase = { x, shape, limits: { maxComputeWorkgroupsPerDimension: 4 } };
    const got = await page.runInstanceNorm(k);
    const cmp = compareArrays(got.data, instanceNormReference(x, shape, { eps: 1e-5 }), TOL);
    expect(cmp.ok, cmp.message).toBe(true);
    expect(got.nonZeroPadLanes).toBe(0);
  });

  it('normalises a 1536×1536 patch around 100 ± 1', async () => {
    const got = await page.runLargeInstanceNorm([1, 1536, 1536, 3]);
    console.log(`[instanceNorm 1536²] worst |diff| ${got.worst.toExponential(2)}`);
    expect(got.worst).toBeLessThan(OFFSET_TOL.atol);
  }, 120_000);

  it('rejects gamma of the wrong length, naming the input shape', async () => {
    const k: InstanceNormCase = {
      x: new Float32Array(2 * 3 * 3 * 5),
      shape: [2, 3, 3, 5],
      gamma: new Float32Array(4),
    };
    await expect(page.runInstanceNorm(k)).rejects.toThrow(
      /instanceNorm: gamma has 4 values for input \[2, 3, 3, 5\] with 5 channels/,
    );
  });
});

describe('batchNorm (inference) parity with the CPU reference', () => {
  const SHAPES: Shape4[] = [
    [1, 5, 7, 3],
    [2, 4, 3, 6],
    [2, 3, 5, 13],
  ];
  SHAPES.forEach((shape, i) => {
    it(`${JSON.stringify(shape)}${i === 1 ? ' relu, no gamma' : ''}`, async () => {
      const c = shape[3];
      const x = randomArray(size(shape), 1400 + i, -2, 2);
      const p = {
        mean: randomArray(c, 1500 + i, -0.5, 0.5),
        variance: randomArray(c, 1600 + i, 0.1, 2),
        gamma: i === 1 ? undefined : randomArray(c, 1700 + i, 0.5, 1.5),
        beta: randomArray(c, 1800 + i),
        eps: i === 2 ? 1e-3 : undefined,
        activation: i === 1 ? ('relu' as const) : undefined,
      };
      const got = await page.runBatchNorm({ x, shape, p });
      const expected = batchNormReference(x, shape, p.mean, p.variance, { ...p, eps: p.eps ?? 1e-5 });
      // a handful of f32 operations per element on O(1) values
      const cmp = compareArrays(got.data, expected, TOL);
      expect(cmp.ok, cmp.message).toBe(true);
      expect(got.nonZeroPadLanes).toBe(0);
      expect(got.reusedPoisoned).toBe(true);
      expect(got.liveBuffers).toBe(0);
    });
  });

  it('folded into the conv before it equals conv → batchNorm (on the GPU) and the CPU reference', async () => {
    const shape: Shape4 = [1, 6, 7, 5];
    const wShape = [3, 3, 5, 6];
    const x = randomArray(size(shape), 1900);
    const w = randomArray(size(wShape), 1901, -0.5, 0.5);
    const bias = randomArray(6, 1902);
    const bn = {
      mean: randomArray(6, 1903),
      variance: randomArray(6, 1904, 0.2, 2),
      gamma: randomArray(6, 1905, 0.5, 1.5),
      beta: randomArray(6, 1906),
      eps: 1e-3,
    };
    const got = await page.runFoldedConv({
      x,
      shape,
      w,
      wShape,
      bias,
      bn,
    });
    const conv = conv2dReference(x, shape, w, wShape, { bias, padding: 'same' });
    const expected = batchNormReference(conv.data, conv.shape, bn.mean, bn.variance, bn);
    // conv sums 45 products (~1e-6 rounding), scaled by gamma/sqrt(var) ≤ ~3.4
    const a = compareArrays(got.unfolded, expected, { atol: 2e-5, rtol: 1e-5, label: 'unfolded' });
    expect(a.ok, a.message).toBe(true);
    const b = compareArrays(got.folded, expected, { atol: 2e-5, rtol: 1e-5, label: 'folded' });
    expect(b.ok, b.message).toBe(true);
  });
});

describe('foldBatchNorm (pure)', () => {
  it('scales each output channel and shifts the bias', () => {
    const f = foldBatchNorm(new Float32Array([1, 2, 3, 4]), [1, 1, 2, 2], new Float32Array([1, 0]), {
      mean: new Float32Array([1, 2]),
      variance: new Float32Array([3, 15]),
      gamma: new Float32Array([2, 1]),
      beta: new Float32Array([0.5, 0]),
      eps: 1,
    });
    // s = [2/2, 1/4]
    expect(Array.from(f.weights)).toEqual([1, 0.5, 3, 1]);
    expect(Array.from(f.bias)).toEqual([0.5, -0.5]);
  });
  it('rejects parameters of the wrong length', () => {
    expect(() =>
      foldBatchNorm(new Float32Array(4), [1, 1, 2, 2], undefined, {
        mean: new Float32Array(3),
        variance: new Float32Array(2),
      }),
    ).toThrow(/foldBatchNorm: mean has 3 values for weights \[1, 1, 2, 2\] with 2 channels/);
  });
});
