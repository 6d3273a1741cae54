// Page half of reshape.test.ts: runs in headless Chromium with a real GPUDevice.
import { KernelContext } from '../core/context.ts';
import { Tensor, type Shape4 } from '../core/tensor.ts';
import { poisonPool, readWithPadding, restrictLimits, type LimitOverrides } from '../testing/readback.ts';
import { reshape, resolveReshape, resolveSlice, slice } from './reshape.ts';

export async function runReshape(
  device: GPUDevice,
  c: { x: Float32Array; shape: Shape4; to: Shape4; limits?: LimitOverrides },
) {
  const ctx = new KernelContext(device);
  restrictLimits(ctx, c.limits);
  try {
    const x = Tensor.fromArray(ctx, c.x, c.shape, 'x');
    const poisoned = poisonPool(ctx, resolveReshape(c.shape, c.to));
    const y = reshape(ctx, x, c.to);
    const reusedPoisoned = poisoned.includes(y.buffer);
    const out = await readWithPadding(y);
    for (const t of [x, y]) t.dispose();
    return { ...out, reusedPoisoned, liveBuffers: ctx.pool.stats().liveBuffers };
  } finally {
    ctx.dispose();
  }
}

export async function runSlice(
  device: GPUDevice,
  c: { x: Float32Array; shape: Shape4; begin: Shape4; size: Shape4; limits?: LimitOverrides },
) {
  const ctx = new KernelContext(device);
  restrictLimits(ctx, c.limits);
  try {
    const x = Tensor.fromArray(ctx, c.x, c.shape, 'x');
    const poisoned = poisonPool(ctx, resolveSlice(c.shape, c.begin, c.size));
    const y = slice(ctx, x, c.begin, c.size);
    const reusedPoisoned = poisoned.includes(y.buffer);
    const out = await readWithPadding(y);
    for (const t of [x, y]) t.dispose();
    return { ...out, reusedPoisoned, liveBuffers: ctx.pool.stats().liveBuffers };
  } finally {
    ctx.dispose();
  }
}
