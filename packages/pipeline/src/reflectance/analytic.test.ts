import { describe, expect, it } from 'vitest';
import { compareArrays, randomArray, useGpuPage } from '@avatarme/testing';
import { edgePadReference } from './edge-pad.ts';
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

  it("pads the albedo and specular maps beyond the layout with the layout's own values", async () => {
    // Left half inside (texture 0.4, ratio 2, specular 0.3), right half outside (texture 0.1):
    // a bilinear tap at the island's edge must read the de-lit albedo, not the lit texture.
    const [w, h] = [16, 8];
    const inside = (i: number) => i % w < w / 2;
    const tex = new Float32Array(w * h * 3).map((_, k) => (inside(Math.floor(k / 3)) ? 0.4 : 0.1));
    const ratio = new Float32Array(w * h * 3).map((_, k) => (inside(Math.floor(k / 3)) ? 2 : 1));
    const mask = Float32Array.from({ length: w * h }, (_, i) => (inside(i) ? 1 : 0));
    const specular = Float32Array.from(mask, (m) => (m ? 0.3 : 0));
    const got = await page.runAnalytic({ tex, ratio, mask, specular, w, h });
    const lin = ((0.4 + 0.055) / 1.055) ** 2.4;
    const albedo = 1.055 * (2 * lin) ** (1 / 2.4) - 0.055;
    // A constant island pads to the same constant: f32 colour transfer error only (≤ 1e-5); without
    // padding the outside reads 0.1 (albedo) and the 0.1 outside constant (specular).
    for (let i = 0; i < w * h; i++) {
      for (let c = 0; c < 3; c++) expect(got.albedo[3 * i + c]).toBeCloseTo(albedo, 4);
      expect(got.specular[i]).toBeCloseTo(0.3, 5);
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

  it('pads each island from its own rim before push-pull (CPU reference of the rings)', async () => {
    const [w, h, c] = [24, 20, 3];
    const values = randomArray(w * h * c, 7, 0, 1);
    const mask = Float32Array.from(randomArray(w * h, 8, 0, 1), (v, i) =>
      v > 0.55 && i % w !== 12 && Math.floor(i / w) !== 9 ? 1 : 0,
    );
    const got = await page.runPadIslands({ values, mask, w, h, c });
    const ref = edgePadReference(values, mask, w, h, c);
    // Push-pull keeps the known texels, so every texel the rings reached is the rings' value: a
    // mean of up to 4 floats, 1e-6 apart on the GPU at most.
    for (let i = 0; i < w * h; i++)
      for (let ch = 0; ch < c; ch++) {
        const [a, b] = [got.out[i * c + ch], ref.values[i * c + ch]];
        if (mask[i]) expect(a).toBe(values[i * c + ch]);
        else if (ref.known[i]) expect(Math.abs(a - b)).toBeLessThan(1e-6);
        else expect(Number.isFinite(a)).toBe(true);
      }
    expect(got.leaked).toBe(0);
  });

  it('keeps two islands 2 texels apart from reading each other at their edges (push-pull alone does not)', async () => {
    // A dark island (columns 0–9) and a light one (12–23): the head atlas's eye sockets beside the scalp.
    const [w, h] = [24, 8];
    const mask = Float32Array.from({ length: w * h }, (_, i) => (i % w < 10 || i % w >= 12 ? 1 : 0));
    const values = Float32Array.from(mask, (_, i) => (i % w < 10 ? 0.1 : i % w >= 12 ? 0.9 : 0));
    const padded = await page.runPadIslands({ values, mask, w, h, c: 1 });
    const pushPull = await page.runPadIslands({ values, mask, w, h, c: 1, rings: 0 });
    for (let y = 0; y < h; y++) {
      expect(padded.out[y * w + 11]).toBeCloseTo(0.9, 6);
      expect(padded.out[y * w + 10]).toBeCloseTo(0.1, 6);
      expect(pushPull.out[y * w + 11]).toBeLessThan(0.8);
    }
  });
});
