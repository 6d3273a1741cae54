import { describe, expect, it } from 'vitest';
import { linearRgbToLab } from '../math/colour.ts';
import { crossSeamStep, occluderEdgeLine, visibleTexture } from './completion-figures.ts';

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

describe('visibleTexture (L* variation within a surface scale)', () => {
  const n = 60;
  /** An n×n sheet of texels `pitch` apart whose L* is f(x, y) in model units. */
  const sheet = (pitch: number, f: (x: number, y: number) => number) => {
    const positions = new Float32Array(n * n * 3);
    const rgb = new Float32Array(n * n * 3);
    for (let i = 0; i < n * n; i++) {
      const [x, y] = [(i % n) * pitch, Math.floor(i / n) * pitch];
      positions.set([x, y, 0], 3 * i);
      // L* back to linear luminance (L* > 8).
      rgb.fill(((f(x, y) + 16) / 116) ** 3, 3 * i, 3 * i + 3);
    }
    return { positions, rgb, mask: new Float32Array(n * n).fill(1) };
  };

  it('reads texture within the scale, not a gradient across it', () => {
    const spots = sheet(0.1, (x, y) => 60 + 2 * Math.sign(Math.sin(12 * x) * Math.sin(12 * y)));
    const got = visibleTexture(spots.rgb, spots.positions, spots.mask, n, 0.5);
    expect(got.pitch).toBeCloseTo(0.1, 5);
    expect(got.rms).toBeGreaterThan(1.6);
    expect(got.rms).toBeLessThan(2.05);
    // 2 L* per unit (a cm on the head: steeper than the regional albedo's gradients); what is left
    // is the one-sided mean's bias on the texels nearest the edge that still count.
    const ramp = sheet(0.1, (x) => 50 + 2 * x);
    expect(visibleTexture(ramp.rgb, ramp.positions, ramp.mask, n, 0.5).rms).toBeLessThan(0.3);
  });

  it('measures the same band on a coarser cell', () => {
    const f = (x: number, y: number) => 60 + 2 * Math.sin(4 * x) * Math.sin(4 * y);
    const [fine, coarse] = [sheet(0.1, f), sheet(0.2, f)];
    const a = visibleTexture(fine.rgb, fine.positions, fine.mask, n, 0.5).rms;
    const b = visibleTexture(coarse.rgb, coarse.positions, coarse.mask, n, 0.5).rms;
    expect(Math.abs(a - b) / a).toBeLessThan(0.15);
  });
});

describe('occluderEdgeLine (a dark line along the lower edge of occluded regions)', () => {
  // A 20×20 sheet of grey albedo, rows 0–5 occluded (completed), the rest seen, L* 76 but for row 6
  // of columns 0–5 (the fringe's edge left seen, L* 68); measured over columns 0–11.
  const n = 20;
  const [w, h] = [n, n];
  const grey = (l: number) => {
    // Linear grey of lightness l (L* = 116 Y^(1/3) − 16 above the toe).
    const y = ((l + 16) / 116) ** 3;
    return [y, y, y];
  };
  const albedo = new Float32Array(w * h * 3);
  const occluded = new Uint8Array(w * h);
  const seen = new Uint8Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      occluded[i] = y < 6 ? 1 : 0;
      seen[i] = y < 6 ? 0 : 1;
      albedo.set(grey(y === 6 && x < 6 ? 68 : 76), 3 * i);
    }
  const where = Uint8Array.from({ length: w * h }, (_, i) => (i % w < 12 ? 1 : 0));

  it('is the L* of the darkest texel about the edge less the skin 3–5 texels below it', () => {
    const got = occluderEdgeLine(albedo, occluded, seen, where, n);
    expect(got.edges).toBe(12);
    expect(got.darkShare).toBeCloseTo(0.5, 12);
    // Six edges at −8, six at 0: the median (the upper of the two middle ones) is 0.
    expect(got.medianDepth).toBeCloseTo(0, 3);
    const lined = occluderEdgeLine(
      albedo,
      occluded,
      seen,
      Uint8Array.from(where, (v, i) => (i % w < 6 ? v : 0)),
      n,
    );
    expect(lined.medianDepth).toBeCloseTo(-8, 3);
    expect(lined.darkShare).toBe(1);
  });
});
