import { describe, expect, it } from 'vitest';
import { compareArrays, assertClose } from './compare.ts';

describe('compareArrays', () => {
  it('passes equal arrays and reports the worst element of unequal ones', () => {
    expect(compareArrays([1, 2, 3], [1, 2, 3]).ok).toBe(true);
    const c = compareArrays([1, 2.5, 3], [1, 2, 3], { atol: 0.1 });
    expect(c.ok).toBe(false);
    expect(c.worstIndex).toBe(1);
    expect(c.message).toMatch(/1\/3 outside atol 0.1/);
  });
  it('treats NaN as a mismatch and length differences as failures', () => {
    expect(compareArrays([NaN], [0]).ok).toBe(false);
    expect(compareArrays([1, 2], [1]).ok).toBe(false);
    expect(() => assertClose([0], [1])).toThrow(/outside/);
  });
  it('applies the relative tolerance to the expected magnitude', () => {
    expect(compareArrays([1000.05], [1000], { atol: 0, rtol: 1e-4 }).ok).toBe(true);
    expect(compareArrays([1000.5], [1000], { atol: 0, rtol: 1e-4 }).ok).toBe(false);
  });
});
