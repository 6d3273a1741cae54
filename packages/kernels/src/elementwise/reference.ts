import type { BinaryOp, UnaryOp } from './elementwise.ts';

const BINARY: Record<BinaryOp, (p: number, q: number) => number> = {
  add: (p, q) => p + q,
  sub: (p, q) => p - q,
  mul: (p, q) => p * q,
  div: (p, q) => p / q,
  min: Math.min,
  max: Math.max,
};

/** CPU binary op on dense NHWC arrays; b is a's shape, [1|N, 1, 1, C], [N, H, W, 1], [1, 1, 1, 1] or a number. */
export function binaryReference(
  op: BinaryOp,
  a: Float32Array,
  aShape: readonly number[],
  b: Float32Array | number,
  bShape: readonly number[] = [],
): Float32Array {
  const [n, h, w, c] = aShape;
  const out = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) {
    let q: number;
    if (typeof b === 'number') q = b;
    else if (b.length === a.length) q = b[i];
    else if (b.length === 1) q = b[0];
    else if (bShape[3] === 1 && bShape[1] === h && bShape[2] === w) q = b[Math.floor(i / c)];
    else {
      const sample = Math.floor(i / (h * w * c));
      q = b[(bShape[0] === n && n > 1 ? sample * c : 0) + (i % c)];
    }
    out[i] = BINARY[op](a[i], q);
  }
  return out;
}

/** CPU unary op on a dense NHWC array (channels last, so channel = index mod C). */
export function unaryReference(
  op: UnaryOp,
  x: Float32Array,
  c: number,
  opts: { alpha?: number; slopes?: Float32Array } = {},
): Float32Array {
  const f: Record<UnaryOp, (v: number, ch: number) => number> = {
    relu: (v) => Math.max(v, 0),
    relu6: (v) => Math.min(Math.max(v, 0), 6),
    leakyRelu: (v) => (v >= 0 ? v : v * (opts.alpha ?? 0.2)),
    prelu: (v, ch) => (v >= 0 ? v : v * opts.slopes![ch]),
    sigmoid: (v) => 1 / (1 + Math.exp(-v)),
    tanh: Math.tanh,
    exp: Math.exp,
    abs: Math.abs,
    neg: (v) => -v,
    sqrt: Math.sqrt,
    square: (v) => v * v,
  };
  return x.map((v, i) => f[op](v, i % c));
}
