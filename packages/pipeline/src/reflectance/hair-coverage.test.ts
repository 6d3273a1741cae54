import { describe, expect, it } from 'vitest';
import { hairCoverage, UNRESOLVED_HAIR_COVERAGE } from './hair-coverage.ts';

const S = 32;
const toSrgb = (c: number) => (c <= 0.0031308 ? 12.92 * c : 1.055 * c ** (1 / 2.4) - 0.055);

/** Grey skin of linear albedo 0.4, a band of rows 12–15 whose texels mix in hair of `hair` by the coverage given. */
function scene(hair: number, coverageOf: (x: number, y: number) => number) {
  const texture = new Float32Array(S * S * 3);
  const band = new Uint8Array(S * S);
  const want = new Float32Array(S * S);
  for (let y = 0; y < S; y++)
    for (let x = 0; x < S; x++) {
      const i = y * S + x;
      const inBand = y >= 12 && y < 16;
      const c = inBand ? coverageOf(x, y) : 0;
      band[i] = inBand ? 1 : 0;
      want[i] = c;
      texture.fill(toSrgb((1 - c) * 0.4 + c * hair), 3 * i, 3 * i + 3);
    }
  return { texture, band, want, skin: new Float32Array(S * S).fill(1) };
}

describe('hairCoverage', () => {
  it('unmixes each band texel between the skin around it and the darkest hair', () => {
    // A quarter of the band fully covered (its darkest texels: bare hair), the rest at 0 … 0.75.
    const { texture, band, want, skin } = scene(0.04, (x) => (x < 8 ? 1 : ((x % 4) * 0.75) / 3));
    const { coverage, hairRatio } = hairCoverage(S, texture, band, skin);
    expect(hairRatio).toBeCloseTo(0.04 / 0.4, 3);
    for (let i = 0; i < S * S; i++) expect(coverage[i]).toBeCloseTo(want[i], 2);
  });

  it('gives the band a uniform half when its hair is not told from the skin', () => {
    // Hair 0.32 on skin 0.4: ratio 0.8, not resolved.
    const { texture, band, skin } = scene(0.32, () => 1);
    const { coverage, hairRatio } = hairCoverage(S, texture, band, skin);
    expect(hairRatio).toBeCloseTo(0.8, 3);
    for (let i = 0; i < S * S; i++) expect(coverage[i]).toBe(band[i] ? UNRESOLVED_HAIR_COVERAGE : 0);
  });

  it('divides out the shading: a shaded band texel of bare skin is not hair', () => {
    // The band's left quarter is bare hair; its right half is bare skin in half shade (an eye socket).
    const { texture, band, skin } = scene(0.04, (x) => (x < 8 ? 1 : 0));
    const shading = new Float32Array(S * S).fill(1);
    for (let y = 12; y < 16; y++)
      for (let x = S / 2; x < S; x++) {
        shading[y * S + x] = 0.5;
        texture.fill(toSrgb(0.2), 3 * (y * S + x), 3 * (y * S + x) + 3);
      }
    const shaded = hairCoverage(S, texture, band, skin, shading).coverage;
    const unshaded = hairCoverage(S, texture, band, skin).coverage;
    const at = (c: Float32Array) => c[13 * S + 24];
    expect(at(shaded)).toBeCloseTo(0, 2);
    // Without the shading, half the skin's luminance reads as (1 − 0.5) / (1 − 0.1) of hair.
    expect(at(unshaded)).toBeCloseTo(0.5 / 0.9, 2);
    expect(shaded[13 * S + 2]).toBeCloseTo(1, 2);
  });

  it('is zero everywhere without a band', () => {
    const { texture, skin } = scene(0.04, () => 1);
    const { coverage, hairRatio } = hairCoverage(S, texture, new Uint8Array(S * S), skin);
    expect(coverage.every((c) => c === 0)).toBe(true);
    expect(hairRatio).toBeNaN();
  });
});
