import { describe, expect, it } from 'vitest';
import { SKIN_LOCUS } from './delight.ts';
import { darkSkinSheen } from './sheen.ts';

const [a, b] = SKIN_LOCUS.slice(-2);
const slope = (b[1] - a[1]) / (b[0] - a[0]);
/** Linear RGB at log chromaticity (x, y) with green g. */
const colour = (x: number, y: number, g: number) => [g * Math.exp(x), g, g * Math.exp(y)];

describe('darkSkinSheen', () => {
  it('finds the grey added to a dark skin colour on the locus continued past its end', () => {
    // ln(r/g) half a unit past the table's dark end, on the last segment's line (ITA ≈ −45°).
    const x = b[0] + 0.5;
    const skin = colour(x, b[1] + slope * (x - b[0]), 0.02);
    const withSheen = skin.map((v) => v + 0.012);
    expect(darkSkinSheen(withSheen)).toBeCloseTo(0.012, 9);
    expect(darkSkinSheen(skin)).toBeCloseTo(0, 9);
  });

  it('reads nothing on lighter skin, within the table, or below the line', () => {
    // ITA 40° skin on the locus plus a grey sheen: within the table the shift is the light's tint.
    const [x0, y0] = SKIN_LOCUS[2];
    expect(darkSkinSheen(colour(x0, y0, 0.3).map((v) => v + 0.02))).toBe(0);
    // Past the end but with less blue than the line: no sheen to take out.
    const x = b[0] + 0.5;
    expect(darkSkinSheen(colour(x, b[1] + slope * (x - b[0]) - 0.3, 0.02))).toBe(0);
  });

  it('gives up where no grey below the darkest channel reaches the line', () => {
    // Blue as high as green: taking grey out cannot bring ln(b/g) down to the line before blue is gone.
    expect(darkSkinSheen([0.1, 0.03, 0.03])).toBe(0);
  });
});
