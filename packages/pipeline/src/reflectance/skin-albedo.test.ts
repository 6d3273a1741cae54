import { describe, expect, it } from 'vitest';
import { linearToSrgb } from '../fit/lighting.ts';
import { SKIN_LOCUS } from './delight.ts';
import { refineSkinAlbedo } from './skin-albedo.ts';

const S = 32;
function delit(rgb: number[], sigma: number) {
  const albedo = new Float32Array(S * S * 3);
  for (let i = 0; i < S * S; i++) albedo.set(rgb, 3 * i);
  return {
    albedo,
    ratio: new Float32Array(S * S * 3).fill(1),
    lighting: {
      coefficients: new Float64Array(27),
      beta: 0,
      sigma,
      weights: new Float32Array(S * S).fill(1),
    },
    delit: new Uint8Array(S * S).fill(1),
    illuminant: [1, 1, 1] as [number, number, number],
  };
}

describe('refineSkinAlbedo', () => {
  it('takes the grey sheen out of uniform dark skin and updates the ratio to the texture', () => {
    const [a, b] = SKIN_LOCUS.slice(-2);
    const x = b[0] + 0.4;
    const y = b[1] + ((b[1] - a[1]) / (b[0] - a[0])) * (x - b[0]);
    const skin = [0.025 * Math.exp(x), 0.025, 0.025 * Math.exp(y)];
    const d = delit(
      skin.map((v) => v + 0.01),
      0.05,
    );
    const texture = new Float32Array(S * S * 3).fill(linearToSrgb(0.05));
    const mask = new Uint8Array(S * S).fill(1);
    mask[0] = 0;
    const r = refineSkinAlbedo(S, d, texture, mask);
    expect(r.sheen).toBeCloseTo(0.01, 6);
    // Uniform albedo: the contrast step has nothing to shrink at σ 0.05 (kept whole).
    expect(r.contrastKept).toBe(1);
    for (let c = 0; c < 3; c++) {
      expect(d.albedo[3 * 5 + c]).toBeCloseTo(skin[c], 6);
      expect(d.ratio[3 * 5 + c]).toBeCloseTo(skin[c] / 0.05, 4);
      // Outside the mask: untouched.
      expect(d.albedo[c]).toBeCloseTo(skin[c] + 0.01, 6);
      expect(d.ratio[c]).toBe(1);
    }
  });

  it('leaves light skin fitted to within its own contrast as it was', () => {
    const d = delit([0.5, 0.36, 0.28], 0.05);
    const before = Float32Array.from(d.albedo);
    const r = refineSkinAlbedo(S, d, new Float32Array(S * S * 3).fill(0.7), new Uint8Array(S * S).fill(1));
    expect(r).toEqual({ sheen: 0, contrastKept: 1 });
    expect(d.albedo).toEqual(before);
    expect(d.ratio.every((v) => v === 1)).toBe(true);
  });
});
