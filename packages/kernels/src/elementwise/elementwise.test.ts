import { describe, expect, it } from 'vitest';
import { compareArrays, randomArray, useGpuPage } from '@avatarme/testing';
import type { Shape4 } from '../core/tensor.ts';
import type { BinaryCase, UnaryCase } from './elementwise.gpu.ts';
import { binaryBroadcast, type BinaryOp, type UnaryOp } from './elementwise.ts';
import { binaryReference, unaryReference } from './reference.ts';

const gpu = useGpuPage();
const page = gpu.module<typeof import('./elementwise.gpu.ts')>(
  new URL('./elementwise.gpu.ts', import.meta.url),
);

// One f32 operation per element against a float64 reference: at most half an ulp of rounding for
// + - * / min max (|values| ≤ 2, so ≤ 1.2e-7 absolute after division by b ∈ [0.5, 1.5]); the
// transcendental functions (exp, tanh, sigmoid, sqrt) are within a few ulp on WebGPU implementations.
// 1e-6 absolute + 1e-5 relative leaves margin; an indexing or broadcasting mistake is O(0.1).
const TOL = { atol: 1e-6, rtol: 1e-5 };

const size = (s: readonly number[]) => s.reduce((p, q) => p * q, 1);

// A device that allows 4 workgroups per dispatch dimension: these small tensors then need the 2-D
// grids (grid1d rows) that images above 65,535 × 64 vec4 groups need on a real device.
const SMALL_DEVICE = { maxComputeWorkgroupsPerDimension: 4 };

const BINARY_OPS: BinaryOp[] = ['add', 'sub', 'mul', 'div', 'min', 'max'];
const B_SHAPES: { name: string; a: Shape4; b: Shape4 | 'number' }[] = [
  { name: 'same shape, 6 channels, batch 2', a: [2, 3, 5, 6], b: [2, 3, 5, 6] },
  { name: 'per channel [1,1,1,5] over batch 2', a: [2, 3, 7, 5], b: [1, 1, 1, 5] },
  { name: 'per sample and channel [2,1,1,3]', a: [2, 5, 3, 3], b: [2, 1, 1, 3] },
  { name: 'single value [1,1,1,1], 6 channels', a: [1, 4, 5, 6], b: [1, 1, 1, 1] },
  { name: 'a number, 9 channels', a: [1, 3, 3, 9], b: 'number' },
  { name: 'per pixel [2,4,3,1] (a mask), 5 channels', a: [2, 4, 3, 5], b: [2, 4, 3, 1] },
];

describe('binary parity with the CPU reference', () => {
  B_SHAPES.forEach((s, si) => {
    BINARY_OPS.forEach((op, oi) => {
      it(`${op}: ${s.name}`, async () => {
        const seed = 1000 + si * 10 + oi;
        const a = randomArray(size(s.a), seed, -2, 2);
        // b away from zero so division is well conditioned
        const b = s.b === 'number' ? 0.75 : randomArray(size(s.b), seed + 5, 0.5, 1.5);
        const c: BinaryCase = { op, a, aShape: s.a, b, bShape: s.b === 'number' ? undefined : s.b };
        const got = await page.runBinary(c);
        expect(got.shape).toEqual(s.a);
        // the output reused a NaN-filled pooled buffer: every lane, pad lanes included, was written
        expect(got.reusedPoisoned).toBe(true);
        const expected = binaryReference(op, a, s.a, b, s.b === 'number' ? [] : s.b);
        const cmp = compareArrays(got.data, expected, TOL);
        expect(cmp.ok, cmp.message).toBe(true);
        expect(got.nonZeroPadLanes).toBe(0);
        expect(got.liveBuffers).toBe(0);
      });
    });
  });

  it('div per channel under a 4-workgroup dispatch limit (2-D grid)', async () => {
    const aShape: Shape4 = [2, 9, 11, 6];
    const a = randomArray(size(aShape), 1090, -2, 2);
    const b = randomArray(6, 1091, 0.5, 1.5);
    const c: BinaryCase = { op: 'div', a, aShape, b, bShape: [1, 1, 1, 6], limits: SMALL_DEVICE };
    const got = await page.runBinary(c);
    const cmp = compareArrays(got.data, binaryReference('div', a, aShape, b, [1, 1, 1, 6]), TOL);
    expect(cmp.ok, cmp.message).toBe(true);
    expect(got.nonZeroPadLanes).toBe(0);
  });

  it('rejects shapes that do not broadcast, naming both shapes', async () => {
    const c: BinaryCase = {
      op: 'add',
      a: new Float32Array(2 * 4 * 4 * 3),
      aShape: [2, 4, 4, 3],
      b: new Float32Array(4 * 4 * 5),
      bShape: [1, 4, 4, 5],
    };
    await expect(page.runBinary(c)).rejects.toThrow(
      /binary\.add: a \[2, 4, 4, 3\] and b \[1, 4, 4, 5\] do not broadcast/,
    );
  });
});

describe('binary broadcast rules (pure)', () => {
  it('classifies b', () => {
    expect(binaryBroadcast('t', [2, 3, 3, 5], [2, 3, 3, 5]).mode).toBe(0);
    expect(binaryBroadcast('t', [2, 3, 3, 5], [1, 1, 1, 5])).toEqual({ mode: 1, sampleStride: 0 });
    expect(binaryBroadcast('t', [2, 3, 3, 5], [2, 1, 1, 5])).toEqual({ mode: 1, sampleStride: 2 });
    expect(binaryBroadcast('t', [2, 3, 3, 5], [1, 1, 1, 1]).mode).toBe(2);
    expect(binaryBroadcast('t', [2, 3, 3, 5], 3).mode).toBe(3);
    expect(binaryBroadcast('t', [2, 3, 3, 5], [2, 3, 3, 1]).mode).toBe(4);
    expect(() => binaryBroadcast('t', [2, 3, 3, 5], [1, 3, 3, 1])).toThrow(/do not broadcast/);
    expect(() => binaryBroadcast('t', [2, 3, 3, 5], [3, 1, 1, 5])).toThrow(/\[2, 3, 3, 5\].*\[3, 1, 1, 5\]/);
  });
});

const UNARY: { op: UnaryOp; lo: number; hi: number; alpha?: number }[] = [
  { op: 'relu', lo: -2, hi: 2 },
  { op: 'relu6', lo: -3, hi: 9 },
  { op: 'leakyRelu', lo: -2, hi: 2 },
  { op: 'leakyRelu', lo: -2, hi: 2, alpha: 0.01 },
  { op: 'prelu', lo: -2, hi: 2 },
  { op: 'sigmoid', lo: -8, hi: 8 },
  { op: 'tanh', lo: -30, hi: 30 },
  { op: 'exp', lo: -4, hi: 4 },
  { op: 'abs', lo: -2, hi: 2 },
  { op: 'neg', lo: -2, hi: 2 },
  { op: 'sqrt', lo: 0, hi: 9 },
  { op: 'square', lo: -3, hi: 3 },
];

describe('unary parity with the CPU reference', () => {
  UNARY.forEach((u, i) => {
    const shape: Shape4 = i % 2 ? [2, 5, 3, 5] : [1, 7, 5, 6];
    it(`${u.op}${u.alpha !== undefined ? ` alpha ${u.alpha}` : ''} on ${JSON.stringify(shape)}`, async () => {
      const x = randomArray(size(shape), 2000 + i, u.lo, u.hi);
      const slopes = u.op === 'prelu' ? randomArray(shape[3], 3000 + i, 0, 0.5) : undefined;
      const c: UnaryCase = { op: u.op, x, shape, alpha: u.alpha, slopes };
      const got = await page.runUnary(c);
      const expected = unaryReference(u.op, x, shape[3], { alpha: u.alpha, slopes });
      expect(got.reusedPoisoned).toBe(true);
      const cmp = compareArrays(got.data, expected, TOL);
      expect(cmp.ok, cmp.message).toBe(true);
      expect(got.nonZeroPadLanes).toBe(0);
      expect(got.liveBuffers).toBe(0);
    });
  });

  it('prelu under a 4-workgroup dispatch limit (2-D grid)', async () => {
    const shape: Shape4 = [2, 9, 11, 5];
    const x = randomArray(size(shape), 2090);
    const slopes = randomArray(5, 2091, 0, 0.5);
    const got = await page.runUnary({
      op: 'prelu',
      x,
      shape,
      slopes,
      limits: SMALL_DEVICE,
    });
    const cmp = compareArrays(got.data, unaryReference('prelu', x, 5, { slopes }), TOL);
    expect(cmp.ok, cmp.message).toBe(true);
    expect(got.nonZeroPadLanes).toBe(0);
  });

  it('rejects prelu with the wrong number of slopes, naming the shape', async () => {
    const c: UnaryCase = {
      op: 'prelu',
      x: new Float32Array(3 * 3 * 5),
      shape: [1, 3, 3, 5],
      slopes: new Float32Array(4),
    };
    await expect(page.runUnary(c)).rejects.toThrow(
      /unary\.prelu: input \[1, 3, 3, 5\] needs 5 slopes, got 4/,
    );
  });

  it('handles more than 65,535 × 64 vec4 groups (two grid rows)', async () => {
    const shape: Shape4 = [1, 1030, 1030, 16];
    const got = await page.runLargeChain(shape);
    expect(got.vec4s).toBeGreaterThan(65535 * 64);
    // neg is exact, + 0.5 rounds once: ≤ 6e-8 for results in [-0.5, 0.5].
    expect(got.worst).toBeLessThan(1e-7);
  }, 120_000);
});
