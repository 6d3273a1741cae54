import { rng } from '@avatarme/kernels/core/random.ts';

export { rng };

/** Uniform values in [lo, hi) from the seeded generator, so a failing case can be replayed exactly. */
export function randomArray(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  const r = rng(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * r();
  return out;
}
