import { describe, expect, it } from 'vitest';
import { crossSeamStep, linearRgbToLab } from './completion-figures.ts';

describe('crossSeamStep (colour step where two UV islands meet in 3-D)', () => {
  // A 20×20 sheet of texels 0.1 apart; columns 0–9 are side 1, 10–19 side 2.
  const n = 20;
  const positions = Float32Array.from({ length: n * n * 3 }, (_, k) => {
    const i = Math.floor(k / 3);
    return k % 3 === 0 ? (i % n) * 0.1 : k % 3 === 1 ? Math.floor(i / n) * 0.1 : 0;
  });
  const side = Uint8Array.from({ length: n * n }, (_, i) => (i % n < 10 ? 1 : 2));
  const sheet = (left: number, right: number) =>
    Float32Array.from({ length: n * n * 3 }, (_, k) => (Math.floor(k / 3) % n < 10 ? left : right));

  it('is the ΔE*76 between the two sides, on the texels at the border only', () => {
    const got = crossSeamStep(sheet(0.18, 0.2), positions, side, { radius: 0.5, border: 0.15 });
    const [l1, l2] = [linearRgbToLab(0.18, 0.18, 0.18)[0], linearRgbToLab(0.2, 0.2, 0.2)[0]];
    // Column 9 of each of the 20 rows is within 0.15 of column 10; column 8 (0.2 away) is not.
    expect(got.seamTexels).toBe(n);
    expect(got.deltaL).toBeCloseTo(l1 - l2, 3);
    expect(got.deltaE).toBeCloseTo(Math.abs(l1 - l2), 2);
    expect(
      crossSeamStep(sheet(0.3, 0.3), positions, side, { radius: 0.5, border: 0.15 }).deltaE,
    ).toBeLessThan(1e-9);
  });

  it('Lab: white is L* 100, grey is neutral, 18% grey is L* 49.5', () => {
    const white = linearRgbToLab(1, 1, 1);
    expect(white[0]).toBeCloseTo(100, 2);
    expect(Math.abs(white[1]) + Math.abs(white[2])).toBeLessThan(0.05);
    expect(linearRgbToLab(0.18, 0.18, 0.18)[0]).toBeCloseTo(49.5, 1);
  });
});
