import { describe, expect, it } from 'vitest';
import { compareArrays, randomArray, useGpuPage } from '@avatarme/testing';
import type { Shape4 } from '../core/tensor.ts';
import { centralDifferences, dot, maxRelativeError } from '../testing/finite-difference.ts';
import type { ActivationGradOp, ActivationGradOptions } from './backward.ts';
import { activationBackwardReference, minMaxBackwardReference } from './backward-reference.ts';
import { binaryReference, unaryReference } from './reference.ts';

const gpu = useGpuPage();
const page = gpu.module<typeof import('./backward.gpu.ts')>(new URL('./backward.gpu.ts', import.meta.url));

const SHAPE: Shape4 = [1, 3, 4, 5];
const N = 60;
const slopes = new Float32Array([0.1, 0.25, 0, 0.5, 0.05]);

/** Forward of each activation (the kernels' CPU references), for the finite differences. */
const FORWARD: Record<ActivationGradOp, (x: Float32Array, o: ActivationGradOptions) => Float32Array> = {
  relu: (x) => unaryReference('relu', x, 5),
  relu6: (x) => unaryReference('relu6', x, 5),
  clamp: (x, o) => x.map((v) => Math.min(Math.max(v, o.clampMin!), o.clampMax!)),
  leakyRelu: (x, o) => unaryReference('leakyRelu', x, 5, o),
  prelu: (x, o) => unaryReference('prelu', x, 5, o),
  sigmoid: (x) => unaryReference('sigmoid', x, 5),
  tanh: (x) => unaryReference('tanh', x, 5),
};

const ACTS: [ActivationGradOp, ActivationGradOptions][] = [
  ['relu', {}],
  ['relu6', {}],
  ['clamp', { clampMin: -1, clampMax: 2 }],
  ['leakyRelu', { alpha: 0.3 }],
  ['prelu', { slopes }],
  ['sigmoid', {}],
  ['tanh', {}],
];

/** Inputs in [-8, 8] kept 0.05 away from every kink (0, 6, −1, 2), so a step of 1e-2 crosses none. */
function input(seed: number): Float32Array {
  return randomArray(N, seed, -8, 8).map((v) => {
    for (const k of [0, 6, -1, 2]) if (Math.abs(v - k) < 0.05) return k + 0.05 * Math.sign(v - k || 1);
    return v;
  });
}

describe('activation input gradients: CPU reference against central differences of the forward', () => {
  it.each(ACTS)('%s', (act, o) => {
    const x = input(4300);
    const dy = randomArray(N, 4301);
    // Step 1e-2 in f32: truncation of sigmoid/tanh is h²/6·|f'''| ≤ 2e-5; rounding of the f32
    // outputs (≤ 6e-8·|y| each) over 60 terms, divided by 2e-2, stays below 1e-4 of the scale.
    const fd = centralDifferences(x, (xs) => dot(dy, FORWARD[act](xs, o)), 1e-2);
    expect(maxRelativeError(activationBackwardReference(act, x, dy, 5, o), fd)).toBeLessThan(3e-4);
  });

  it.each(['min', 'max'] as const)('%s with a per-channel constant and with a tensor', (mode) => {
    const dy = randomArray(N, 4311);
    const perChannel = new Float32Array([0.5, -1.5, 3, 0.2, -4]);
    const tensor = input(4312);
    for (const b of [perChannel, tensor]) {
      const bShape = b.length === N ? SHAPE : [1, 1, 1, 5];
      const bAt = (i: number) => (b.length === N ? b[i] : b[i % 5]);
      // a at least 0.05 from b everywhere: piecewise linear with no switch inside the step, so
      // the difference is exact up to the float32 rounding of a ± h (1e-2: ~1e-6 relative).
      const a = input(4310).map((v, i) => (Math.abs(v - bAt(i)) < 0.05 ? bAt(i) + 0.1 : v));
      const fd = centralDifferences(a, (as) => dot(dy, binaryReference(mode, as, SHAPE, b, bShape)), 1e-2);
      expect(maxRelativeError(minMaxBackwardReference(mode, a, b, dy, 5), fd)).toBeLessThan(1e-4);
    }
  });
});

describe('element-wise input gradients: WGSL against the CPU reference', () => {
  it.each(ACTS)('%s (from the activation output)', async (act, o) => {
    const x = input(4320);
    const dy = randomArray(N, 4321);
    const got = await page.runActivationBackward({ act, y: FORWARD[act](x, o), dy, shape: SHAPE, o });
    // f32 derivative of the f32 output: sigmoid/tanh lose ≤ a few ulps of y.
    const cmp = compareArrays(got.data, activationBackwardReference(act, x, dy, 5, o), {
      atol: 1e-6,
      rtol: 1e-5,
    });
    expect(cmp.ok, cmp.message).toBe(true);
    expect(got.nonZeroPadLanes).toBe(0);
    expect(got.liveBuffers).toBe(0);
  });

  it('min / max masks: tensor, per-channel and scalar b; ties go to a', async () => {
    const a = input(4330);
    a[7] = 6; // a tie with the scalar b = 6
    const dy = randomArray(N, 4331);
    const perChannel = new Float32Array([0.5, -1.5, 3, 0.2, -4]);
    const tensor = input(4332);
    for (const mode of ['min', 'max'] as const)
      for (const [b, bTensor] of [
        [tensor, true],
        [perChannel, false],
        [6, false],
      ] as const) {
        const got = await page.runMinMaxBackward({ mode, a, b, bTensor, dy, shape: SHAPE });
        // A mask times dy: exact (dy·0 may be −0 on the GPU, hence + 0).
        const ref = minMaxBackwardReference(mode, a, b, dy, 5);
        expect(Array.from(got.data, (v) => v + 0)).toEqual(Array.from(ref, (v) => v + 0));
        expect(got.nonZeroPadLanes).toBe(0);
      }
  });

  it('refuses negative PReLU slopes, naming the op', async () => {
    await expect(
      page.runActivationBackward({
        act: 'prelu',
        y: new Float32Array(N),
        dy: new Float32Array(N),
        shape: SHAPE,
        o: { slopes: new Float32Array([0.1, -0.2, 0, 0, 0]) },
      }),
    ).rejects.toThrow(/activationBackward\.prelu: negative slopes are not supported/);
  });
});
