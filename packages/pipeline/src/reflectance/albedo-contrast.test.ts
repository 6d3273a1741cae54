import { describe, expect, it } from 'vitest';
import { shrinkAlbedoContrast, SKIN_ALBEDO_CONTRAST } from './albedo-contrast.ts';

const S = 64;
/** A ramp in x (per channel) plus a ±δ checkerboard on the square [8, 56)², 0.9 outside it. */
function pattern(delta: number) {
  const albedo = new Float32Array(S * S * 3).fill(0.9);
  const weight = new Uint8Array(S * S);
  const ramp = (x: number, c: number) => (0.3 + 0.002 * x) * [1, 0.8, 0.6][c];
  for (let y = 8; y < 56; y++)
    for (let x = 8; x < 56; x++) {
      const i = y * S + x;
      weight[i] = 1;
      for (let c = 0; c < 3; c++) albedo[3 * i + c] = ramp(x, c) + delta * ((x + y) % 2 ? 1 : -1);
    }
  return { albedo, weight, ramp };
}

describe('shrinkAlbedoContrast', () => {
  it('keeps the albedo whole where the fit explains the skin to within its own contrast', () => {
    const { albedo, weight } = pattern(0.05);
    const before = Float32Array.from(albedo);
    expect(shrinkAlbedoContrast(S, albedo, weight, SKIN_ALBEDO_CONTRAST)).toBe(1);
    expect(albedo).toEqual(before);
  });

  it('keeps (τ/σ)² of the deviations from the neighbourhood mean, the mean itself and what lies outside', () => {
    const { albedo, weight, ramp } = pattern(0.05);
    const sigma = 2 * SKIN_ALBEDO_CONTRAST;
    const k = shrinkAlbedoContrast(S, albedo, weight, sigma);
    expect(k).toBeCloseTo(0.25, 12);
    // Texels at least 3 blur radii (3 · S/16 = 12) inside the square: the blur of a ramp is the
    // ramp (symmetric kernel), of a one-texel checkerboard its mean 0 (the kernel's alternating sum,
    // σ = 4, is below 1e-30), so each texel is ramp ± k·δ. Tolerance: float32 rounding.
    for (let y = 20; y < 44; y++)
      for (let x = 20; x < 44; x++)
        for (let c = 0; c < 3; c++)
          expect(albedo[3 * (y * S + x) + c]).toBeCloseTo(
            ramp(x, c) + 0.25 * 0.05 * ((x + y) % 2 ? 1 : -1),
            5,
          );
    for (let i = 0; i < S * S; i++)
      if (!weight[i]) for (let c = 0; c < 3; c++) expect(albedo[3 * i + c]).toBeCloseTo(0.9, 6);
  });

  it('keeps what makes features darker than the skin around them and shrinks what makes them lighter', () => {
    // Plain skin (0.5, 0.4, 0.3) on the left half; on the right half features: a darker brow texel
    // and a lighter glare texel far from the edge of the skin, within the blur's reach of it.
    const albedo = new Float32Array(S * S * 3);
    const skin = new Uint8Array(S * S);
    const features = new Uint8Array(S * S);
    const plain = [0.5, 0.4, 0.3];
    for (let y = 0; y < S; y++)
      for (let x = 0; x < S; x++) {
        const i = y * S + x;
        if (x < 32) skin[i] = 1;
        else features[i] = 1;
        albedo.set(plain, 3 * i);
      }
    const [dark, light] = [32 * S + 34, 33 * S + 34];
    albedo.set([0.1, 0.08, 0.06], 3 * dark);
    albedo.set([0.9, 0.9, 0.9], 3 * light);
    const k = shrinkAlbedoContrast(S, albedo, skin, 2 * SKIN_ALBEDO_CONTRAST, SKIN_ALBEDO_CONTRAST, features);
    expect(k).toBeCloseTo(0.25, 12);
    // The bare-skin mean there is the plain colour (only skin texels weigh), so the glare keeps a quarter.
    expect(Array.from(albedo.subarray(3 * dark, 3 * dark + 3))).toEqual(
      Array.from(Float32Array.of(0.1, 0.08, 0.06)),
    );
    for (let c = 0; c < 3; c++)
      expect(albedo[3 * light + c]).toBeCloseTo(plain[c] + 0.25 * (0.9 - plain[c]), 5);
    // Features beyond the blur's reach of any skin (3σ = 12 texels) are left alone.
    const far = 40 * S + 60;
    expect(Array.from(albedo.subarray(3 * far, 3 * far + 3))).toEqual(Array.from(Float32Array.from(plain)));
  });

  it('names the sizes when the maps do not match', () => {
    expect(() => shrinkAlbedoContrast(S, new Float32Array(10), new Uint8Array(S * S), 0.2)).toThrow(
      /albedo has 10 values, weight 4096 and features 4096 for 64² texels/,
    );
  });
});
