import { KernelError } from '../core/errors.ts';

/**
 * CPU meaning of blendshapes: out[r] = neutral[r] + Σ_m weights[m] · basis[m·rows + r], accumulated in
 * float64. `basis` is mode-major [modes, rows] (the ICT .f32 layout with rows = vertices·3).
 */
export function blendshapesReference(
  neutral: Float32Array,
  basis: Float32Array,
  weights: ArrayLike<number>,
): Float32Array {
  const rows = neutral.length;
  const modes = weights.length;
  if (basis.length !== rows * modes) {
    throw new KernelError(
      'blendshapesReference',
      `basis has ${basis.length} values, expected ${modes}×${rows}`,
    );
  }
  const acc = Float64Array.from(neutral);
  for (let m = 0; m < modes; m++) {
    const w = weights[m];
    const off = m * rows;
    for (let r = 0; r < rows; r++) acc[r] += w * basis[off + r];
  }
  return Float32Array.from(acc);
}
