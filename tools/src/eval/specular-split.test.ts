import { describe, expect, it } from 'vitest';
import { departureCorrelation, splitSpecularError } from './specular-split.ts';

describe('splitSpecularError', () => {
  it('weights, classes and error shares by hand', () => {
    // Four texels: two of class 0, one of class 1, one left out by its weight.
    const truth = Float32Array.from([0.2, 0.4, 0.3, 0.9]);
    const a = Float32Array.from([0.3, 0.4, 0.1, 0]);
    const b = Float32Array.from([0.2, 0.4, 0.3, 0]);
    const s = splitSpecularError([a, b], truth, [1, 3, 2, 0], [0, 0, 1, 0], ['x', 'y']);
    // a's squared errors: 0.01·1, 0, 0.04·2 over weight 6.
    expect(s.rmse[0]).toBeCloseTo(Math.sqrt(0.09 / 6), 6);
    expect(s.rmse[1]).toBe(0);
    const [x, y] = s.classes;
    expect(x.weight).toBe(4);
    expect(x.share).toBeCloseTo(4 / 6, 6);
    expect(x.truthMean).toBeCloseTo((0.2 + 3 * 0.4) / 4, 6);
    expect(x.means[0]).toBeCloseTo((0.3 + 3 * 0.4) / 4, 6);
    expect(x.rmse[0]).toBeCloseTo(Math.sqrt(0.01 / 4), 6);
    expect(x.errorShare[0]).toBeCloseTo(0.01 / 0.09, 6);
    expect(y.errorShare[0]).toBeCloseTo(0.08 / 0.09, 6);
    expect(y.errorShare[1]).toBe(0);
  });
});

describe('departureCorrelation', () => {
  it('is +1 when ours moves off the prior the truth’s way, −1 the other way, NaN without departures', () => {
    const prior = Float32Array.from([0.25, 0.25, 0.25, 0.25]);
    const truth = Float32Array.from([0.2, 0.3, 0.4, 0.25]);
    const w = [1, 1, 1, 1];
    const along = prior.map((p, i) => p * Math.sqrt(truth[i] / p));
    expect(departureCorrelation(along, prior, truth, w).correlation).toBeCloseTo(1, 6);
    // The fourth texel does not depart from its prior, so it is not counted.
    expect(departureCorrelation(along, prior, truth, w).texels).toBe(3);
    const against = prior.map((p, i) => p * Math.sqrt(p / truth[i]));
    expect(departureCorrelation(against, prior, truth, w).correlation).toBeCloseTo(-1, 6);
    expect(departureCorrelation(prior, prior, truth, w).correlation).toBeNaN();
  });
});
