export interface AdamHyper {
  beta1: number;
  beta2: number;
  eps: number;
}

export const ADAM_DEFAULTS: AdamHyper = { beta1: 0.9, beta2: 0.999, eps: 1e-8 };

/** One Adam step in place (float64), step t ≥ 1: the CPU meaning of adam.wgsl. */
export function adamStepReference(
  param: Float64Array,
  grad: ArrayLike<number>,
  m: Float64Array,
  v: Float64Array,
  lr: ArrayLike<number>,
  t: number,
  h: AdamHyper = ADAM_DEFAULTS,
): void {
  const bc1 = 1 - h.beta1 ** t;
  const bc2 = 1 - h.beta2 ** t;
  for (let i = 0; i < param.length; i++) {
    m[i] = h.beta1 * m[i] + (1 - h.beta1) * grad[i];
    v[i] = h.beta2 * v[i] + (1 - h.beta2) * grad[i] * grad[i];
    param[i] -= (lr[i] * (m[i] / bc1)) / (Math.sqrt(v[i] / bc2) + h.eps);
  }
}
