// Node-side helpers for the gradient tests: the adjoint of every backward kernel is checked against
// central finite differences of its forward CPU reference.

/** Σ w·f(x): the scalar whose gradient with respect to x is the adjoint applied to w. */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/**
 * ∂/∂x_i of loss(x) for every i by central differences (loss(x + h·e_i) − loss(x − h·e_i)) divided
 * by the step actually taken once x ± h is rounded to float32 (the references take float32 inputs).
 */
export function centralDifferences(
  x: Float32Array,
  loss: (x: Float32Array) => number,
  h: number,
): Float64Array {
  const xs = x.slice();
  const grad = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = xs[i];
    xs[i] = v + h;
    const hi = xs[i];
    const up = loss(xs);
    xs[i] = v - h;
    const lo = xs[i];
    const down = loss(xs);
    xs[i] = v;
    grad[i] = (up - down) / (hi - lo);
  }
  return grad;
}

/** Largest |a − b| relative to the largest |b| (one scale for the whole gradient). */
export function maxRelativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let err = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    err = Math.max(err, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return err / Math.max(scale, 1e-30);
}
