import { describe, expect, it } from 'vitest';
import { compareArrays, randomArray, useGpuPage } from '@avatarme/testing';
import { analyticPassReference, detailNormalsReference } from './reference.ts';

const gpu = useGpuPage();
const page = gpu.module<typeof import('./analytic.gpu.ts')>(new URL('./analytic.gpu.ts', import.meta.url));

function unitNormals(n: number, seed: number): Float32Array {
  const r = randomArray(n * 3, seed);
  for (let i = 0; i < n; i++) {
    r[i * 3 + 2] = Math.abs(r[i * 3 + 2]) + 0.5; // facing the camera, like visible skin
    const l = Math.hypot(r[i * 3], r[i * 3 + 1], r[i * 3 + 2]);
    for (let k = 0; k < 3; k++) r[i * 3 + k] /= l;
  }
  return r;
}

describe('analytic reflectance kernels', () => {
  it('pass 1 (de-lighting, specular prior, luminance) matches the CPU reference', async () => {
    const [w, h] = [13, 9];
    const tex = randomArray(w * h * 3, 1, 0.05, 0.95);
    const normals = unitNormals(w * h, 2);
    const mask = Float32Array.from(randomArray(w * h, 3, 0, 1), (v) => (v > 0.2 ? 1 : 0));
    const sh = randomArray(27, 4, -0.2, 0.2);
    for (let c = 0; c < 3; c++) sh[c * 9] = 2.5; // mostly ambient light, as on real photos
    const prior = [
      { u: 0.5, v: 0.4, radius: 0.1, amplitude: 0.3 },
      { u: 0.2, v: 0.7, radius: 0.2, amplitude: 0.1 },
    ];
    const got = await page.runShadingPass({
      tex,
      normals,
      mask,
      sh,
      prior,
      w,
      h,
    });
    const ref = analyticPassReference(tex, normals, mask, sh, prior, w, h, {
      minShading: 0.05,
      baseSpecular: 0.25,
      outsideSpecular: 0.1,
    });
    // f32 pow/exp on the GPU vs float64 on the CPU: relative error ~1e-6; 1e-4 is generous and a
    // wrong SH basis term or colour transfer gives errors of 1e-2 and more.
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
