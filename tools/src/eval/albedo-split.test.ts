import { describe, expect, it } from 'vitest';
import { splitAlbedoError } from './albedo-split.ts';

describe('splitAlbedoError', () => {
  // 2×2 texels: texel 0 right (grey 0.2), texel 1 twice too bright (0.4 for 0.2), texels 2 and 3 outside
  // the mask with values that would change every figure if they counted.
  const grey = (v: number) => [v, v, v];
  const ours = Float32Array.from([...grey(0.2), ...grey(0.4), ...grey(0.9), 0.9, 0, 0]);
  const truth = Float32Array.from([...grey(0.2), ...grey(0.2), ...grey(0.1), 0, 0, 0.9]);
  const mask = [1, 1, 0, 0];
  const split = splitAlbedoError(2, ours, truth, mask, [0, 1, 0, 1], ['right', 'bright']);

  it('splits the scale-invariant error by class', () => {
    // s = Σxy / Σxx = 3(0.04 + 0.08) / 3(0.04 + 0.16) = 0.6; errors per channel −0.08 and +0.04.
    expect(split.scale).toBeCloseTo(0.6, 6);
    expect(split.siRmse).toBeCloseTo(Math.sqrt((3 * 0.0064 + 3 * 0.0016) / 6), 6);
    const [right, bright] = split.classes;
    expect(right.texels).toBe(1);
    expect(right.share).toBeCloseTo(0.5, 9);
    expect(right.errorShare).toBeCloseTo(0.8, 6);
    expect(bright.errorShare).toBeCloseTo(0.2, 6);
    expect(right.rmse).toBeCloseTo(0.08, 6);
    expect(bright.rmse).toBeCloseTo(0.04, 6);
    expect(right.logRatio[0]).toBeCloseTo(Math.log(0.6), 6);
    expect(bright.logRatio[2]).toBeCloseTo(Math.log(1.2), 6);
  });

  it('reads a grey mean as ITA 90° below mid-grey lightness: only the level differs', () => {
    // A neutral grey has b* = 0, so ITA = ±90° by the sign of L* − 50 (linear 0.2 → L* 51.8, 0.3 → 61.7).
    expect(split.classes[0].itaOurs).toBeCloseTo(90, 3);
    expect(split.itaError).toBeCloseTo(0, 3);
    expect(split.deltaE).toBeGreaterThan(0);
  });
});
