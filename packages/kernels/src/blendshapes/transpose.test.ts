import { describe, expect, it } from 'vitest';
import { compareArrays, randomArray, useGpuPage } from '@avatarme/testing';
import { blendshapesReference } from './reference.ts';
import { blendshapesTransposeReference } from './reference-transpose.ts';

const gpu = useGpuPage();
const page = gpu.module<typeof import('./transpose.gpu.ts')>(new URL('./transpose.gpu.ts', import.meta.url));

describe('blendshapes transpose: the adjoint of blendshapes', () => {
  it('matches the CPU reference and central differences of blendshapes for 3 × 701 rows, 13 modes', async () => {
    const [rows, modes] = [3 * 701, 13];
    const basis = randomArray(rows * modes, 7);
    const grad = randomArray(rows, 8);
    const got = await page.runTranspose({ basis, grad });
    // float32 dot products of 2,103 terms of magnitude ≤ 1 (sum ~√2103 ≈ 46): ~1e-5 typical, atol 1e-4.
    const cmp = compareArrays(got.data, blendshapesTransposeReference(basis, grad), { atol: 1e-4 });
    expect(cmp.ok, cmp.message).toBe(true);
    // The adjoint: d/dw_m ⟨grad, blendshapes(w)⟩ by central differences of the forward reference.
    const neutral = new Float32Array(rows);
    const w = new Float32Array(modes);
    const loss = () => blendshapesReference(neutral, basis, w).reduce((s, x, i) => s + x * grad[i], 0);
    const fd = Array.from({ length: modes }, (_, m) => {
      w[m] = 0.5;
      const lp = loss();
      w[m] = -0.5;
      const lm = loss();
      w[m] = 0;
      return lp - lm;
    });
    const cmpFd = compareArrays(got.data, fd, { atol: 1e-3, label: 'vs central differences' });
    expect(cmpFd.ok, cmpFd.message).toBe(true);
    expect(got.liveBuffers).toBe(0);
  });
});
