import { describe, expect, it } from 'vitest';
import { BASE_SKIN_ALPHA, roughnessPrior } from './roughness.ts';
import { specularPriorForCanonicalFace } from './specular-prior.ts';

describe('roughness prior', () => {
  it('is smoothest on the nose and forehead, roughest on the cheeks, the base elsewhere', () => {
    const prior = specularPriorForCanonicalFace();
    const size = 128;
    const map = roughnessPrior(size, prior);
    const alphaAt = (u: number, v: number) =>
      map[Math.min(size - 1, Math.floor(v * size)) * size + Math.min(size - 1, Math.floor(u * size))] ** 2;
    const [noseTip, , forehead, , , chin, lip, , cheek] = prior.map((b) => alphaAt(b.u, b.v));
    // Each region's α at its centre, within the blend of its neighbours' bumps.
    expect(noseTip).toBeLessThan(0.25);
    expect(forehead).toBeLessThan(0.28);
    expect(chin).toBeGreaterThan(forehead);
    expect(cheek).toBeGreaterThan(0.34);
    expect(cheek).toBeGreaterThan(BASE_SKIN_ALPHA);
    expect(lip).toBeLessThan(BASE_SKIN_ALPHA);
    // A corner of the layout is far from every region.
    expect(alphaAt(0.01, 0.01)).toBeCloseTo(BASE_SKIN_ALPHA, 3);
    for (const r of map) expect(r * r).toBeGreaterThanOrEqual(0.22 - 1e-6);
  });
});
