import { describe, expect, it } from 'vitest';
import { upperSphere } from './framing.ts';

describe('upperSphere', () => {
  it('frames the top of a column and ignores what is below the cut', () => {
    // A unit-radius ring of 8 points at each height 0..10, and a wide "shoulder" ring at height 0.
    const points: number[] = [];
    for (let y = 0; y <= 10; y++)
      for (let k = 0; k < 8; k++) {
        const a = (k * Math.PI) / 4;
        const r = y === 0 ? 5 : 1;
        points.push(r * Math.cos(a), y, r * Math.sin(a));
      }
    const s = upperSphere(new Float32Array(points), 0.5);
    // Rings at heights 5..10: centre (0, 7.5, 0), farthest point at height 5 or 10, radius 1.
    expect(s.centre[0]).toBeCloseTo(0, 6);
    expect(s.centre[1]).toBeCloseTo(7.5, 6);
    expect(s.centre[2]).toBeCloseTo(0, 6);
    expect(s.radius).toBeCloseTo(Math.hypot(1, 2.5), 6);
  });
});
