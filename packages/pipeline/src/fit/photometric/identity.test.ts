import { describe, expect, it } from 'vitest';
import { crop, cropAdjoint, cropTaps, landmarkCropBox } from './identity.ts';

/** A deterministic pseudo-random array in [−1, 1]. */
function values(n: number, seed: number): Float32Array {
  let a = seed;
  return Float32Array.from({ length: n }, () => {
    a = (a * 1103515245 + 12345) % 2147483648;
    return (a / 2147483648) * 2 - 1;
  });
}

describe('identity loss crop', () => {
  it('the crop adjoint is the transpose of the crop: ⟨crop(x), g⟩ = ⟨x, cropᵀ(g)⟩', () => {
    // A render at half the photo's scale, the face square partly outside it (clamped taps).
    const [w, h] = [48, 40];
    const taps = cropTaps({ x: -10, y: 12, size: 70 }, 0.5, w, h);
    const x = values(w * h * 3, 1);
    const g = values(224 * 224 * 3, 2);
    const cx = crop(x, taps);
    const ag = cropAdjoint(g, taps, w * h);
    let [lhs, rhs] = [0, 0];
    for (let i = 0; i < cx.length; i++) lhs += cx[i] * g[i];
    for (let i = 0; i < x.length; i++) rhs += x[i] * ag[i];
    // Both sums are ~1e5 terms of float32 products: agreement to 1e-4 relative is exact arithmetic.
    expect(Math.abs(lhs - rhs)).toBeLessThan(1e-4 * Math.max(1, Math.abs(lhs)));
  });

  it('a constant image crops to the same constant × 255, and the box is square around the landmarks', () => {
    const taps = cropTaps({ x: 5, y: 5, size: 20 }, 1, 32, 32);
    const c = crop(new Float32Array(32 * 32 * 3).fill(0.5), taps);
    expect(c.reduce((m, v) => Math.max(m, Math.abs(v - 127.5)), 0)).toBeLessThan(1e-3);
    const box = landmarkCropBox([10, 20, 30, 20, 20, 60]);
    expect(box.size).toBeCloseTo(56);
    expect(box.x + box.size / 2).toBeCloseTo(20);
    expect(box.y + box.size / 2).toBeCloseTo(40);
  });
});
