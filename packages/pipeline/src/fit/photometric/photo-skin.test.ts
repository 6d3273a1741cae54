import { describe, expect, it } from 'vitest';
import { photoSkinWeights } from './photo-skin.ts';

// A 40×20 photo: skin (left 24 columns, shaded from full to half brightness down the rows), a white
// cap (columns 24–31) and dark hair (columns 32–39).
const [W, H] = [40, 20];
const SKIN = [0.8, 0.55, 0.42];
const rgb = new Float32Array(W * H * 3);
for (let y = 0; y < H; y++)
  for (let x = 0; x < W; x++) {
    const shade = 1 - (0.5 * y) / (H - 1);
    const c = x < 24 ? SKIN.map((v) => v * shade) : x < 32 ? [0.92, 0.92, 0.9] : [0.06, 0.04, 0.03];
    rgb.set(c, 3 * (y * W + x));
  }

describe('photoSkinWeights', () => {
  // Samples where a fitted model would have skin: 30 % of them land on the cap and the hair.
  const samples: number[] = [];
  for (let i = 0; i < 100; i++) samples.push(i < 70 ? i % 24 : 24 + (i % 16), (7 * i) % H);
  const weights = photoSkinWeights(rgb, W, H, samples);
  const at = (x: number, y: number) => weights[y * W + x];

  it('keeps skin at full weight however it is shaded', () => {
    // Shading scales the colour, not its chromaticity; half brightness is above the dark ramp.
    for (const [x, y] of [
      [0, 0],
      [12, 10],
      [23, 19],
    ])
      expect(at(x, y)).toBeCloseTo(1, 6);
  });

  it('gives a white cap and dark hair a small weight though 30 % of the samples fall on them', () => {
    // Skin samples all share one chromaticity, so the spread is MIN_SPREAD (0.01) and the cap's
    // chromaticity (0.336, 0.336 against 0.452, 0.311) is 11.9 spreads away: 1/(1 + (11.9/3)²) = 0.06.
    expect(at(28, 5)).toBeLessThan(0.07);
    // The hair's brightness is 10 % of the samples' median (that of skin at 3/4 shade): no weight.
    expect(at(36, 5)).toBe(0);
  });

  it('leaves every pixel at 1 when too few samples fall inside the photo', () => {
    const w = photoSkinWeights(rgb, W, H, [-5, 3, 100, 4, 3, 50]);
    expect(w.every((v) => v === 1)).toBe(true);
  });
});
