import { describe, expect, it } from 'vitest';
import { linearToSrgb } from '../math/colour.ts';
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
    expect(r).toEqual({ sheen: 0, contrastKept: 1, rebuilt: 0 });
    expect(d.albedo).toEqual(before);
    expect(d.ratio.every((v) => v === 1)).toBe(true);
  });

  it('shrinks the contrast of bare skin only: brows and lips keep theirs', () => {
    // Light skin with a dark brow band (rows 12–15) over a ±0.05 checkerboard, fitted badly (σ 0.26,
    // four times skin's own contrast: k = 1/16). The band is skin but not bare skin.
    const d = delit([0.5, 0.36, 0.28], 0.26);
    for (let y = 0; y < S; y++)
      for (let x = 0; x < S; x++) {
        const i = y * S + x;
        const brow = y >= 12 && y < 16;
        for (let c = 0; c < 3; c++)
          d.albedo[3 * i + c] = brow ? 0.1 : d.albedo[3 * i + c] + ((x + y) % 2 ? 0.05 : -0.05);
      }
    const before = Float32Array.from(d.albedo);
    const bare = Uint8Array.from({ length: S * S }, (_, i) =>
      Math.floor(i / S) >= 12 && Math.floor(i / S) < 16 ? 0 : 1,
    );
    const r = refineSkinAlbedo(
      S,
      d,
      new Float32Array(S * S * 3).fill(0.7),
      new Uint8Array(S * S).fill(1),
      bare,
    );
    expect(r.contrastKept).toBeCloseTo(1 / 16, 12);
    for (let y = 12; y < 16; y++)
      for (let c = 0; c < 3; c++) expect(d.albedo[3 * (y * S + 7) + c]).toBe(before[3 * (y * S + 7) + c]);
    // Bare skin far from the band and the edges (the blur, σ = S/16 = 2, reaches 6 texels at 3σ):
    // the mean over bare skin alone is the plain colour, so each texel keeps 1/16 of its ±0.05.
    for (const [x, y] of [
      [10, 26],
      [11, 26],
    ])
      for (let c = 0; c < 3; c++) {
        const plain = [0.5, 0.36, 0.28][c];
        expect(d.albedo[3 * (y * S + x) + c]).toBeCloseTo(
          plain + (before[3 * (y * S + x) + c] - plain) / 16,
          4,
        );
      }
  });
});
