import { describe, expect, it } from 'vitest';
import { compareArrays, randomArray, useGpuPage } from '@avatarme/testing';
import type { Activation } from '../core/types.ts';
import type { Shape4 } from '../core/tensor.ts';
import type { DenseCase } from './dense.gpu.ts';
import { matmulReference } from './reference.ts';

const gpu = useGpuPage();
const page = gpu.module<typeof import('./dense.gpu.ts')>(new URL('./dense.gpu.ts', import.meta.url));

const size = (s: readonly number[]) => s.reduce((p, q) => p * q, 1);

// f32 dot products of K ≤ 130 terms of magnitude ≤ 0.5 against float64: rounding ≤ ~1e-5.
const TOL = { atol: 2e-5, rtol: 1e-5 };

const CASES: { name: string; x: Shape4; m: number; bias?: boolean; activation?: Activation }[] = [
  { name: 'matrix [2, 1, 1, 6] · [6, 5]', x: [2, 1, 1, 6], m: 5, bias: true },
  { name: 'matrix [7, 1, 1, 130] · [130, 3], relu', x: [7, 1, 1, 130], m: 3, bias: true, activation: 'relu' },
  {
    name: 'per pixel [1, 5, 7, 3] · [3, 10], sigmoid, no bias',
    x: [1, 5, 7, 3],
    m: 10,
    activation: 'sigmoid',
  },
  {
    name: 'per pixel, batch 2 [2, 3, 3, 5] · [5, 6], tanh',
    x: [2, 3, 3, 5],
    m: 6,
    bias: true,
    activation: 'tanh',
  },
  { name: 'vector [1, 1, 1, 9] · [9, 1]', x: [1, 1, 1, 9], m: 1, bias: true },
];

function makeCase(cs: (typeof CASES)[number], seed: number): DenseCase {
  const k = cs.x[3];
  return {
    x: randomArray(size(cs.x), seed),
    xShape: cs.x,
    w: randomArray(k * cs.m, seed + 1, -0.5, 0.5),
    wShape: [k, cs.m],
    bias: cs.bias ? randomArray(cs.m, seed + 2) : undefined,
    activation: cs.activation,
  };
}

describe('Dense equals the CPU matmul, and 1×1 Conv2d equals the same matmul (metamorphic)', () => {
  CASES.forEach((cs, i) => {
    it(cs.name, async () => {
      const c = makeCase(cs, 2300 + 10 * i);
      const rows = cs.x[0] * cs.x[1] * cs.x[2];
      const expected = matmulReference(c.x, rows, c.w, c.wShape, { bias: c.bias, activation: c.activation });
      for (const fn of ['runDense', 'runConv1x1'] as const) {
        const got = await page[fn](c);
        expect(got.shape).toEqual([...cs.x.slice(0, 3), cs.m]);
        const cmp = compareArrays(got.data, expected, { ...TOL, label: fn });
        expect(cmp.ok, cmp.message).toBe(true);
        expect(got.nonZeroPadLanes).toBe(0);
        expect(got.liveBuffers).toBe(0);
      }
    });
  });

  it('rejects an input whose features do not match the weights, naming the layer and shapes', async () => {
    const c = makeCase(CASES[0], 2400);
    c.xShape = [2, 1, 1, 7];
    c.x = new Float32Array(14);
    c.label = 'fc1';
    await expect(page.runDense(c)).rejects.toThrow(
      /fc1: input \[2, 1, 1, 7\] has 7 features, weights \[6, 5\] expect 6/,
    );
  });
});
