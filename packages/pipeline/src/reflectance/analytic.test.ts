import { describe, expect, it } from 'vitest';
import { compareArrays, randomArray, useGpuPage } from '@avatarme/testing';
import { analyticPassReference, detailNormalsReference } from './reference.ts';

const gpu = useGpuPage();
const page = gpu.module<typeof import('./analytic.gpu.ts')>(new URL('./analytic.gpu.ts', import.meta.url));

describe('analytic reflectance kernels', () => {
  it('pass 1 (albedo = texture × ratio, specular inside the layout, luminance) matches the CPU reference', async () => {
    const [w, h] = [13, 9];
    const tex = randomArray(w * h * 3, 1, 0.05, 0.95);
    // Ratios above and below 1, some large enough to reach the clamp at 1.
    const ratio = randomArray(w * h * 3, 2, 0.3, 3);
    const mask = Float32Array.from(randomArray(w * h, 3, 0, 1), (v) => (v > 0.2 ? 1 : 0));
    const specular = randomArray(w * h, 4, -0.1, 1.1);
    const got = await page.runShadingPass({ tex, ratio, mask, specular, w, h });
    const ref = analyticPassReference(tex, ratio, mask, specular, w, h, { outsideSpecular: 0.1 });
    // f32 pow on the GPU vs float64 on the CPU: relative error ~1e-6; 1e-4 is generous and a wrong
    // colour transfer or a missed clamp gives errors of 1e-2 and more.
    for (const [name, a, b] of [
      ['albedo', got.albedo, ref.albedo],
      ['specular', got.specular, ref.specular],
      ['luminance', got.luminance, ref.luminance],
    ] as const) {
      const c = compareArrays(a, b, { atol: 1e-4, rtol: 1e-4, label: name });
      expect(c.ok, c.message).toBe(true);
    }
  });

  it('pass 2 (tangent-space detail normals) matches the CPU reference', async () => {
    const [w, h] = [11, 7];
    const lum = randomArray(w * h, 5, 0, 1);
    const blurred = randomArray(w * h, 6, 0.4, 0.6);
    const got = await page.runDetailNormals({
      lum,
      blurred,
      w,
      h,
      strength: 3,
    });
    const c = compareArrays(got, detailNormalsReference(lum, blurred, w, h, 3), { atol: 1e-5 });
    expect(c.ok, c.message).toBe(true);
  });
});
