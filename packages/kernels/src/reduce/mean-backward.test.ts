import { describe, expect, it } from 'vitest';
import { compareArrays, randomArray, useGpuPage } from '@avatarme/testing';
import type { Shape4 } from '../core/tensor.ts';
import { centralDifferences, dot, maxRelativeError } from '../testing/finite-difference.ts';
import { globalMeanBackwardReference, momentsReference } from './reference.ts';

const gpu = useGpuPage();
const page = gpu.module<typeof import('./mean-backward.gpu.ts')>(
  new URL('./mean-backward.gpu.ts', import.meta.url),
);

const SHAPE: Shape4 = [2, 3, 5, 6];
const N = 2 * 3 * 5 * 6;

describe('global mean input gradient', () => {
  it('CPU reference against central differences of the mean', () => {
    const x = randomArray(N, 4600);
    const dy = randomArray(12, 4601);
    // Linear: a step of 0.5 is exact up to rounding; the reference's gradient is stored in float32
    // (dy / 15 rounded, ≤ 6e-8 relative).
    const fd = centralDifferences(x, (xs) => dot(dy, momentsReference(xs, SHAPE).mean), 0.5);
    expect(maxRelativeError(globalMeanBackwardReference(dy, SHAPE), fd)).toBeLessThan(1e-7);
  });

  it('WGSL against the CPU reference', async () => {
    const dy = randomArray(12, 4602);
    const got = await page.runMeanBackward({ dy, xShape: SHAPE });
    // One f32 multiply by 1/15 against a division: one ulp.
    const cmp = compareArrays(got.data, globalMeanBackwardReference(dy, SHAPE), { atol: 1e-7, rtol: 1e-6 });
    expect(cmp.ok, cmp.message).toBe(true);
    expect(got.nonZeroPadLanes).toBe(0);
    expect(got.liveBuffers).toBe(0);
  });
});
