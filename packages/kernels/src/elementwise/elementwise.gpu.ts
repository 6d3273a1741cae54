// Page half of elementwise.test.ts: runs in headless Chromium with a real GPUDevice.
import { KernelContext } from '../core/context.ts';
import { Tensor, type Shape4 } from '../core/tensor.ts';
import {
  poisonPool,
  readWithPadding,
  restrictLimits,
  runPoisoned,
  type LimitOverrides,
} from '../testing/readback.ts';
import { binary, unary, type BinaryOp, type UnaryOp } from './elementwise.ts';

export interface BinaryCase {
  op: BinaryOp;
  a: Float32Array;
  aShape: Shape4;
  b: Float32Array | number;
  bShape?: Shape4;
  limits?: LimitOverrides;
}

export async function runBinary(device: GPUDevice, c: BinaryCase) {
  const ctx = new KernelContext(device);
  restrictLimits(ctx, c.limits);
  const a = Tensor.fromArray(ctx, c.a, c.aShape, 'a');
  const b = typeof c.b === 'number' ? c.b : Tensor.fromArray(ctx, c.b, c.bShape!, 'b');
  try {
    const poisoned = poisonPool(ctx, c.aShape);
    const y = binary(ctx, c.op, a, b);
    const reusedPoisoned = poisoned.includes(y.buffer);
    const out = await readWithPadding(y);
    y.dispose();
    a.dispose();
    if (typeof b !== 'number') b.dispose();
    return { ...out, reusedPoisoned, liveBuffers: ctx.pool.stats().liveBuffers };
  } finally {
    ctx.dispose();
  }
}

export interface UnaryCase {
  op: UnaryOp;
  x: Float32Array;
  shape: Shape4;
  alpha?: number;
  slopes?: Float32Array;
  limits?: LimitOverrides;
}

export function runUnary(device: GPUDevice, c: UnaryCase) {
  return runPoisoned(
    device,
    c,
    () => c.shape,
    (ctx, x) => unary(ctx, c.op, x, { alpha: c.alpha, slopes: c.slopes }),
  );
}

/**
 * neg then add 0.5 on a tensor of more than 65,535 × 64 vec4 groups, so the dispatch needs a second grid
 * row. Data is generated and checked in the page (tens of MB would be slow to ship over HTTP).
 */
export async function runLargeChain(device: GPUDevice, shape: Shape4) {
  const ctx = new KernelContext(device);
  const len = shape.reduce((p, q) => p * q, 1);
  const data = new Float32Array(len);
  for (let i = 0; i < len; i++) data[i] = (i % 1000) / 1000;
  const x = Tensor.fromArray(ctx, data, shape, 'x');
  const neg = unary(ctx, 'neg', x);
  const y = binary(ctx, 'add', neg, 0.5);
  const out = await y.read();
  let worst = 0;
  for (let i = 0; i < len; i++) worst = Math.max(worst, Math.abs(out[i] - (0.5 - data[i])));
  const vec4s = x.vec4Count;
  for (const t of [x, neg, y]) t.dispose();
  ctx.dispose();
  return { worst, vec4s };
}
