import { describe, expect, it } from 'vitest';
import { compareArrays, randomArray, useGpuPage } from '@avatarme/testing';
import { adamStepReference } from './reference.ts';

const gpu = useGpuPage();
const page = gpu.module<typeof import('./adam.gpu.ts')>(new URL('./adam.gpu.ts', import.meta.url));

describe('Adam: parity with the CPU reference', () => {
  it('five steps over 1,031 parameters with per-parameter learning rates and gradients of mixed scale', async () => {
    const n = 1031;
    const params = randomArray(n, 1, -2, 2);
    // Gradients from 1e-4 to 1e2 in magnitude, so the normalisation by √v̂ is exercised.
    const grads = [0, 1, 2, 3, 4].map((s) => randomArray(n, 10 + s).map((g, i) => g * 10 ** ((i % 7) - 4)));
    const lr = randomArray(n, 2, 1e-3, 1e-1);
    const got = await page.runAdam({ params, grads, lr });
    const p = Float64Array.from(params);
    const m = new Float64Array(n);
    const v = new Float64Array(n);
    grads.forEach((g, t) => adamStepReference(p, g, m, v, lr, t + 1));
    // Each step moves a parameter by at most ~lr (≤ 0.1) with float32 moments (relative ~1e-7, but
    // √v of a gradient of 1e-4 squares to 1e-8, where ε = 1e-8 still matters in both): atol 1e-5.
    const cmp = compareArrays(got.params, p, { atol: 1e-5 });
    expect(cmp.ok, cmp.message).toBe(true);
    // Sanity: the step really moved the parameters (by up to 5·lr).
    expect(compareArrays(got.params, params, { atol: 1e-3 }).ok).toBe(false);
    expect(got.liveBuffers).toBe(0);
  });
});
