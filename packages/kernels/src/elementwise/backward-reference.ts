import type { ActivationGradOp, ActivationGradOptions } from './backward.ts';

/**
 * dx = dy · f'(x) on dense NHWC arrays, from the activation's input x and f' written from each
 * function's definition (the GPU kernel derives it from the output instead). Kinks take the open
 * side's slope at 0, as the kernel does.
 */
export function activationBackwardReference(
  act: ActivationGradOp,
  x: Float32Array,
  dy: Float32Array,
  c: number,
  o: ActivationGradOptions = {},
): Float32Array {
  const [lo, hi] = act === 'relu6' ? [0, 6] : [o.clampMin ?? 0, o.clampMax ?? 1];
  const d: Record<ActivationGradOp, (v: number, ch: number) => number> = {
    relu: (v) => (v > 0 ? 1 : 0),
    relu6: (v) => (v > lo && v < hi ? 1 : 0),
    clamp: (v) => (v > lo && v < hi ? 1 : 0),
    leakyRelu: (v) => (v > 0 ? 1 : (o.alpha ?? 0.2)),
    prelu: (v, ch) => (v > 0 ? 1 : o.slopes![ch]),
    sigmoid: (v) => {
      const s = 1 / (1 + Math.exp(-v));
      return s * (1 - s);
    },
    tanh: (v) => 1 - Math.tanh(v) ** 2,
  };
  return dy.map((g, i) => g * d[act](x[i], i % c));
}

/** The gradient reaching a of min(a, b) / max(a, b); b: a's shape, per channel or a number. */
export function minMaxBackwardReference(
  mode: 'min' | 'max',
  a: Float32Array,
  b: Float32Array | number,
  dy: Float32Array,
  c: number,
): Float32Array {
  return dy.map((g, i) => {
    const q = typeof b === 'number' ? b : b.length === a.length ? b[i] : b[i % c];
    return (mode === 'min' ? a[i] <= q : a[i] >= q) ? g : 0;
  });
}
