import { describe, expect, it } from 'vitest';
import { compareArrays, rng, useGpuPage } from '@avatarme/testing';
import { brdfLutReference, prefilterReference, shIrradiance, shProjectReference } from './reference.ts';

const gpu = useGpuPage();
const page = gpu.module<typeof import('./ibl.gpu.ts')>(new URL('./ibl.gpu.ts', import.meta.url));

/** A smooth sky-like map plus per-texel noise: [H, 2H, 4]. */
function environment(h: number, seed: number): Float32Array {
  const w = 2 * h;
  const r = rng(seed);
  const env = new Float32Array(h * w * 4);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const up = 1 - y / h;
      const i = (y * w + x) * 4;
      env[i] = 0.3 + up + 0.3 * r();
      env[i + 1] = 0.4 + up * 0.8 + 0.3 * r();
      env[i + 2] = 0.5 + up * 1.5 + Math.cos((x / w) * 2 * Math.PI) + 0.3 * r() + 1;
    }
  return env;
}

describe('shProject', () => {
  it('matches the CPU projection of a 32×64 map', async () => {
    const env = environment(32, 7);
    const got = await page.runShProject({
      env,
      h: 32,
    });
    // f32 sums of 64 then 32 terms with SwiftShader's f32 trig: coefficients that cancel to ~0 from
    // terms whose magnitudes sum to Σ|L|·dΩ ≈ 40 keep ~1e-4 of that (seen: 2.8e-3); 5e-3 absolute is
    // that bound. A wrong basis sign or solid angle is off by O(10%) of the coefficient (≥ 0.1).
    const cmp = compareArrays(got.data, shProjectReference(env, 32, 64), { atol: 5e-3, rtol: 1e-4 });
    expect(cmp.ok, cmp.message).toBe(true);
    expect(got.liveBuffers).toBe(0);
  });

  it('gives irradiance π·L for a constant map of radiance L', async () => {
    const env = new Float32Array(16 * 32 * 4).fill(0.5);
    const got = await page.runShProject({ env, h: 16 });
    for (const n of [
      [0, 0, 1],
      [0, 1, 0],
      [0.6, 0, -0.8],
    ])
      // Midpoint quadrature of cos(latitude) over 16 rows: 0.2% off the exact 4π.
      expect(shIrradiance(got.data, n, 0) / (Math.PI * 0.5)).toBeCloseTo(1, 2);
  });
});

describe('prefilterSpecular', () => {
  it('matches the CPU prefilter at every roughness level', async () => {
    const env = environment(16, 8);
    const options = { levels: 4, height: 8, samples: 32 };
    const got = await page.runPrefilter({
      env,
      h: 16,
      options,
    });
    // The same sample directions in f32 (trig ~1e-6) land ~1e-5 texels from the f64 ones; with ±0.3
    // texel-to-texel noise the bilinear lookups differ by ~1e-5 each. 1e-3 has margin; a wrong
    // lobe, frame or mapping is off by 0.05 or more.
    const cmp = compareArrays(got.data, prefilterReference(env, 16, 32, options), { atol: 1e-3, rtol: 1e-3 });
    expect(cmp.ok, cmp.message).toBe(true);
    expect(got.liveBuffers).toBe(0);
  });

  it('keeps a constant map constant at every level', async () => {
    const env = new Float32Array(8 * 16 * 4).fill(2);
    const got = await page.runPrefilter({
      env,
      h: 8,
      options: { levels: 3, height: 4, samples: 16 },
    });
    for (let i = 0; i < got.data.length; i += 4) expect(got.data[i]).toBeCloseTo(2, 4);
  });

  it('rejects a map that is not 2:1', async () => {
    await expect(
      page.runPrefilter({
        env: new Float32Array(8 * 8 * 4),
        shape: [1, 8, 8, 4],
        options: {},
      }),
    ).rejects.toThrow(/prefilterSpecular: expects an equirectangular map/);
  });
});

describe('brdfLut', () => {
  it('matches the CPU table and stays within energy bounds', async () => {
    const got = await page.runBrdfLut({
      size: 16,
      samples: 512,
    });
    // Means of 512 terms ≤ ~2 in f32 with f32 sqrt/pow: ~1e-6; 1e-4 leaves margin; a wrong visibility
    // term or pdf is off by ≥ 0.02.
    const want = brdfLutReference(16, 512);
    const cmp = compareArrays(got.data, want, { atol: 1e-4, rtol: 1e-4 });
    expect(cmp.ok, cmp.message).toBe(true);
    // A + B is the directional albedo of a white specular lobe: at most 1 (single scattering); the
    // 512-sample estimate keeps within 1.0003 of it (64 samples reach 1.033 at grazing angles).
    for (let i = 0; i < 256; i++) expect(got.data[i * 4] + got.data[i * 4 + 1]).toBeLessThanOrEqual(1.001);
    // Smooth and head-on: A + B ≈ 1 (all energy reflected).
    expect(want[15 * 4] + want[15 * 4 + 1]).toBeGreaterThan(0.9);
    expect(got.liveBuffers).toBe(0);
  });
});
