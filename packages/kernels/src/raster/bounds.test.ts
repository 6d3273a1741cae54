import { describe, expect, it } from 'vitest';
import { positionBounds } from './bounds.ts';

describe('positionBounds', () => {
  const points = new Float32Array([1, -2, 0, 3, 4, -6, -1, 0, 2]);

  it('spans every vertex; the radius is half the diagonal (2, 3, 4 half-extents → √29)', () => {
    const b = positionBounds(points);
    expect(b.lo).toEqual([-1, -2, -6]);
    expect(b.hi).toEqual([3, 4, 2]);
    expect(b.centre).toEqual([1, 1, -2]);
    expect(b.radius).toBeCloseTo(Math.sqrt(29), 12);
  });

  it('keeps only the vertices the predicate includes', () => {
    const b = positionBounds(points, (v) => v !== 1);
    expect(b.lo).toEqual([-1, -2, 0]);
    expect(b.hi).toEqual([1, 0, 2]);
  });
});
