import type { Activation } from '../core/types.ts';
import { activateReference } from '../conv/reference.ts';

/** y[r, m] = act(Σ_k x[r, k] · w[k, m] + b[m]) for rows r of a dense [R, K] array, in float64. */
export function matmulReference(
  x: Float32Array,
  rows: number,
  w: Float32Array,
  [k, m]: [number, number],
  o: { bias?: Float32Array; activation?: Activation; leakySlope?: number } = {},
): Float32Array {
  const out = new Float32Array(rows * m);
  for (let r = 0; r < rows; r++)
    for (let j = 0; j < m; j++) {
      let acc = o.bias?.[j] ?? 0;
      for (let i = 0; i < k; i++) acc += x[r * k + i] * w[i * m + j];
      out[r * m + j] = activateReference(acc, o.activation ?? 'linear', j, o);
    }
  return out;
}
