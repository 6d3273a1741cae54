// Page half of reduce.test.ts: runs in headless Chromium with a real GPUDevice.
import { KernelContext } from '../core/context.ts';
import { Tensor, type Shape4 } from '../core/tensor.ts';
import { readWithPadding, restrictLimits, runPoisoned, type LimitOverrides } from '../testing/readback.ts';
import { globalMean, moments } from './moments.ts';
import { momentsReference } from './reference.ts';
import { softmax } from './softmax.ts';

export async function runMoments(
  device: GPUDevice,
  c: { x: Float32Array; shape: Shape4; perChunk?: number; limits?: LimitOverrides },
) {
  const ctx = new KernelContext(device);
  restrictLimits(ctx, c.limits);
  try {
    const x = Tensor.fromArray(ctx, c.x, c.shape, 'x');
    const m = moments(ctx, x, { perChunk: c.perChunk });
    const mean = await readWithPadding(m.mean);
    const variance = await readWithPadding(m.variance);
    for (const t of [x, m.mean, m.variance]) t.dispose();
    return { mean, variance, liveBuffers: ctx.pool.stats().liveBuffers };
  } finally {
    ctx.dispose();
  }
}

export async function runGlobalMean(device: GPUDevice, c: { x: Float32Array; shape: Shape4 }) {
  const ctx = new KernelContext(device);
  try {
    const x = Tensor.fromArray(ctx, c.x, c.shape, 'x');
    const y = globalMean(ctx, x);
    const out = await readWithPadding(y);
    for (const t of [x, y]) t.dispose();
    return { ...out, liveBuffers: ctx.pool.stats().liveBuffers };
  } finally {
    ctx.dispose();
  }
}

/**
 * globalMean of a 1536×1536 image (a reflectance patch) with values 100 + noise; the data is made and
 * checked in the page (the float64 reference runs here too) instead of shipping 38 MB over HTTP.
 */
export async function runLargeMean(device: GPUDevice, shape: Shape4) {
  const ctx = new KernelContext(device);
  const len = shape.reduce((p, q) => p * q, 1);
  const data = new Float32Array(len);
  let s = 12345;
  for (let i = 0; i < len; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    data[i] = 100 + (s / 2 ** 32) * 2 - 1 + (i % shape[3]);
  }
  const x = Tensor.fromArray(ctx, data, shape, 'x');
  const y = globalMean(ctx, x);
  const got = await y.read();
  const ref = momentsReference(data, shape).mean;
  let worstRel = 0;
  for (let i = 0; i < ref.length; i++)
    worstRel = Math.max(worstRel, Math.abs(got[i] - ref[i]) / Math.abs(ref[i]));
  for (const t of [x, y]) t.dispose();
  ctx.dispose();
  return { worstRel, got, ref: Float32Array.from(ref) };
}

export function runSoftmax(
  device: GPUDevice,
  c: { x: Float32Array; shape: Shape4; limits?: LimitOverrides },
) {
  return runPoisoned(
    device,
    c,
    () => c.shape,
    (ctx, x) => softmax(ctx, x),
  );
}

export async function runSoftmaxDisposed(device: GPUDevice, shape: Shape4) {
  const ctx = new KernelContext(device);
  try {
    const x = Tensor.fromArray(ctx, new Float32Array(shape.reduce((p, q) => p * q, 1)), shape, 'x');
    x.dispose();
    softmax(ctx, x);
  } finally {
    ctx.dispose();
  }
}
