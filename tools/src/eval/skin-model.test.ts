import { describe, expect, it } from 'vitest';
import { melaninForIta, skinAlbedo, skinIta } from './skin-model.ts';

describe('two-chromophore skin albedo', () => {
  it('darkens monotonically with melanin, spanning very light to dark ITA', () => {
    const fractions = [0.002, 0.01, 0.03, 0.06, 0.1, 0.15];
    const angles = fractions.map((melanin) => skinIta({ melanin, haemoglobin: 0.004 }));
    for (let i = 1; i < angles.length; i++) expect(angles[i]).toBeLessThan(angles[i - 1]);
    expect(angles[0]).toBeGreaterThan(55);
    expect(angles[angles.length - 1]).toBeLessThan(-30);
  });
  it('is a reflectance: every channel in (0, 1), red highest for skin', () => {
    for (const melanin of [0.002, 0.05]) {
      const [r, g, b] = skinAlbedo({ melanin, haemoglobin: 0.01 });
      for (const c of [r, g]) expect(c).toBeGreaterThan(0);
      for (const c of [r, g, b]) expect(c).toBeLessThan(1);
      expect(r).toBeGreaterThan(g);
      expect(g).toBeGreaterThanOrEqual(b);
    }
  });
  it('reddens with blood: haemoglobin absorbs green more than red', () => {
    const [r1, g1] = skinAlbedo({ melanin: 0.01, haemoglobin: 0.004 });
    const [r2, g2] = skinAlbedo({ melanin: 0.01, haemoglobin: 0.04 });
    expect(r2 / g2).toBeGreaterThan((r1 / g1) * 1.1);
  });
  it('finds the melanin fraction of a target ITA', () => {
    for (const target of [58, 30, 0, -40]) {
      const m = melaninForIta(target, 0.004);
      expect(skinIta({ melanin: m, haemoglobin: 0.004 })).toBeCloseTo(target, 1);
    }
  });
});
