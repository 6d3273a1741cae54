import { describe, expect, it } from 'vitest';
import { blendShape, blendTranspose, type AbsModel } from './optimise.ts';

// Small deterministic values: sin() of the index keeps them varied without a seeded generator.
const wave = (n: number, k: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(1.7 * i + k));

describe('the fit’s CPU shape and its adjoint', () => {
  const [Vm, M] = [7, 6]; // six modes: one pass of four and two left over
  const model = { neutral: wave(3 * Vm, 0), basis: wave(3 * Vm * M, 1) } as AbsModel;
  const weights = Float64Array.from(wave(M, 2));

  it('blendShape equals neutral + Σ wₘ·Bₘ summed mode by mode', () => {
    const want = Float64Array.from(model.neutral);
    for (let m = 0; m < M; m++)
      for (let i = 0; i < 3 * Vm; i++) want[i] += weights[m] * model.basis[m * 3 * Vm + i];
    const got = blendShape(model, weights);
    // f32 output, and four products are summed before each rounding: a few ulps of values near 1.
    for (let i = 0; i < want.length; i++) expect(Math.abs(got[i] - want[i])).toBeLessThan(1e-5);
  });

  it('blendTranspose is the adjoint of blendShape: ⟨g, B·w⟩ = ⟨Bᵀg, w⟩', () => {
    const g = wave(3 * Vm, 3);
    g.fill(0, 6, 12); // vertices 2 and 3 carry no gradient: they are skipped, not mis-indexed
    const bw = blendShape(model, weights).map((x, i) => x - model.neutral[i]);
    const lhs = bw.reduce((s, x, i) => s + x * g[i], 0);
    const btg = blendTranspose(model, M, g);
    const rhs = btg.reduce((s, x, m) => s + x * weights[m], 0);
    expect(Math.abs(lhs - rhs)).toBeLessThan(1e-5);
  });
});
