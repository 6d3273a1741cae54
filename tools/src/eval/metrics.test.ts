import { describe, expect, it } from 'vitest';
import {
  deltaE2000,
  ita,
  itaBin,
  labOf,
  meanAngularErrorDeg,
  psnr,
  rmse,
  scaleInvariantRmse,
  ssim,
  type FloatImage,
} from './metrics.ts';

const img = (w: number, h: number, c: number, f: (i: number, k: number) => number): FloatImage => ({
  width: w,
  height: h,
  channels: c,
  data: Float32Array.from({ length: w * h * c }, (_, j) => f(Math.floor(j / c), j % c)),
});
const all = (n: number) => new Float32Array(n).fill(1);

describe('deltaE2000', () => {
  // Sharma, Wu & Dalal 2005, Table 1 (their published test pairs and differences).
  const pairs: [number[], number[], number][] = [
    [[50, 2.6772, -79.7751], [50, 0, -82.7485], 2.0425],
    [[50, 3.1571, -77.2803], [50, 0, -82.7485], 2.8615],
    [[50, 2.8361, -74.02], [50, 0, -82.7485], 3.4412],
    [[50, -1.3802, -84.2814], [50, 0, -82.7485], 1.0],
    [[50, 0, 0], [50, -1, 2], 2.3669],
    [[50, 2.5, 0], [73, 25, -18], 27.1492],
    [[50, 2.5, 0], [61, -5, 29], 22.8977],
    [[50, 2.5, 0], [56, -27, -3], 31.903],
    [[50, 2.5, 0], [58, 24, 15], 19.4535],
  ];
  it.each(pairs)('%j vs %j = %f', (a, b, expected) => {
    expect(deltaE2000(a, b)).toBeCloseTo(expected, 4);
    expect(deltaE2000(b, a)).toBeCloseTo(expected, 4);
  });
});

describe('colour', () => {
  it('takes white to L* 100 and 18 % grey to L* 49.5', () => {
    const w = labOf([1, 1, 1]);
    expect(w[0]).toBeCloseTo(100, 2);
    expect(Math.abs(w[1]) + Math.abs(w[2])).toBeLessThan(0.01);
    // L* = 116 · 0.18^(1/3) − 16
    expect(labOf([0.18, 0.18, 0.18])[0]).toBeCloseTo(116 * Math.cbrt(0.18) - 16, 3);
  });
  it('measures ITA as atan((L* − 50) / b*) and bins it as Chardon et al. do', () => {
    expect(ita([70, 5, 20])).toBeCloseTo(45, 6);
    expect(ita([40, 5, 10])).toBeCloseTo((Math.atan(-1) * 180) / Math.PI, 6);
    expect(itaBin(60)).toBe('very light');
    expect(itaBin(30)).toBe('intermediate');
    expect(itaBin(-40)).toBe('dark');
  });
});

describe('image errors', () => {
  const a = img(8, 8, 3, (i, k) => ((i * 7 + k * 3) % 10) / 10);
  it('PSNR of a uniform 0.1 difference is 20 dB; identical images are Infinity', () => {
    const b = img(8, 8, 3, (i, k) => a.data[i * 3 + k] + 0.1);
    expect(psnr(a, b, all(64))).toBeCloseTo(20, 4);
    expect(psnr(a, a, all(64))).toBe(Infinity);
  });
  it('ignores pixels outside the mask', () => {
    const b = img(8, 8, 3, (i, k) => (i < 32 ? a.data[i * 3 + k] : 1 - a.data[i * 3 + k]));
    const half = Float32Array.from({ length: 64 }, (_, i) => (i < 32 ? 1 : 0));
    expect(rmse(a, b, half)).toBe(0);
    expect(rmse(a, b, all(64))).toBeGreaterThan(0.1);
  });
  it('scale-invariant RMSE forgives exposure, not colour', () => {
    const twice = img(8, 8, 3, (i, k) => 2 * a.data[i * 3 + k]);
    expect(scaleInvariantRmse(a, twice, all(64))).toBeLessThan(1e-6);
    const tinted = img(8, 8, 3, (i, k) => a.data[i * 3 + k] * (k === 0 ? 1.5 : 1));
    expect(scaleInvariantRmse(a, tinted, all(64))).toBeGreaterThan(0.02);
  });
  it('SSIM is 1 for identical images and the luminance term alone for two constants', () => {
    expect(ssim(a, a, all(64))).toBeCloseTo(1, 10);
    const x = img(16, 16, 1, () => 0.5);
    const y = img(16, 16, 1, () => 0.6);
    // (2·μx·μy + C1) / (μx² + μy² + C1), C1 = 0.01²; the variance terms are C2 / C2.
    const expected = (2 * 0.5 * 0.6 + 1e-4) / (0.25 + 0.36 + 1e-4);
    expect(ssim(x, y, all(256), 1)).toBeCloseTo(expected, 6);
  });
  it('measures angles between normals in degrees', () => {
    const n1 = img(1, 2, 3, (i, k) => (k === 0 ? 1 : 0));
    const n2 = img(1, 2, 3, (i, k) => (i === 0 ? (k === 1 ? 1 : 0) : k < 2 ? 3 : 0));
    // pixel 0: x vs y = 90°; pixel 1: x vs (1, 1, 0) = 45°
    expect(meanAngularErrorDeg(n1, n2, all(2))).toBeCloseTo(67.5, 4);
  });
});
