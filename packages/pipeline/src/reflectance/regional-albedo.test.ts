import { describe, expect, it } from 'vitest';
import { regionalAlbedo } from './regional-albedo.ts';

describe('regionalAlbedo (the seen skin colour around a point, for unseen skin)', () => {
  // Reference skin: 8 texels around x = −5 of colour A, 8 around x = +5 of colour B; targets on the x axis.
  const A = [0.5, 0.3, 0.2];
  const B = [0.3, 0.3, 0.3];
  const targetsX = [-5, 0, 5, -60];
  const n = 16 + targetsX.length;
  const positions = new Float32Array(3 * n);
  const albedo = new Float32Array(3 * n);
  const reference = new Uint8Array(n);
  const targets = new Uint8Array(n);
  for (let k = 0; k < 16; k++) {
    const x = (k < 8 ? -5 : 5) + 0.2 * ((k % 4) - 1.5);
    positions.set([x, 0.2 * ((k >> 2) % 2), 0], 3 * k);
    albedo.set(k < 8 ? A : B, 3 * k);
    reference[k] = 1;
  }
  targetsX.forEach((x, k) => {
    positions.set([x, 0, 0], 3 * (16 + k));
    targets[16 + k] = 1;
  });

  it('takes the colour of the skin nearest, blends between regions, and holds far from all of it', () => {
    const got = regionalAlbedo(albedo, positions, reference, targets, 3)!;
    const at = (k: number) => Array.from(got.subarray(3 * (16 + k), 3 * (16 + k) + 3));
    // 5 cm from the other cluster at σ 3: its weight is e^(−100/18) / 1 ≈ 0.4 % of the near one's.
    at(0).forEach((v, c) => expect(v).toBeCloseTo(A[c], 2));
    at(2).forEach((v, c) => expect(v).toBeCloseTo(B[c], 2));
    // Midway, equal counts at equal distances: the mean.
    at(1).forEach((v, c) => expect(v).toBeCloseTo((A[c] + B[c]) / 2, 5));
    // 55 cm away the plain weights underflow; the shifted log-weights still give the nearer region.
    at(3).forEach((v, c) => expect(v).toBeCloseTo(A[c], 6));
    // Off the targets: 0.
    expect(got[0]).toBe(0);
  });

  it('has nothing to give without reference skin, and names the sizes of bad inputs', () => {
    expect(regionalAlbedo(albedo, positions, new Uint8Array(n), targets, 3)).toBeUndefined();
    expect(() => regionalAlbedo(albedo.subarray(3), positions, reference, targets, 3)).toThrow(
      /albedo 57 and positions 60 values, targets 20 for 20 texels/,
    );
    expect(() => regionalAlbedo(albedo, positions, reference, targets, 0)).toThrow(/sigma 0/);
  });
});
