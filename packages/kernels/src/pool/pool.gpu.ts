// Page half of pool.test.ts: runs in headless Chromium with a real GPUDevice.
import { KernelContext } from '../core/context.ts';
import { Tensor, type Shape4 } from '../core/tensor.ts';
import { poisonPool, readWithPadding, restrictLimits, type LimitOverrides } from '../testing/readback.ts';
import { planPool2d, pool2d, type Pool2dOptions } from './pool.ts';

export async function runPool(
  device: GPUDevice,
  c: { x: Float32Array; shape: Shape4; o: Pool2dOptions; limits?: LimitOverrides },
) {
  const ctx = new KernelContext(device);
  restrictLimits(ctx, c.limits);
  try {
    const x = Tensor.fromArray(ctx, c.x, c.shape, 'x');
    const poisoned = poisonPool(ctx, planPool2d(c.shape, c.o).outShape);
    const y = pool2d(ctx, x, c.o);
    const reusedPoisoned = poisoned.includes(y.buffer);
    const out = await readWithPadding(y);
    for (const t of [x, y]) t.dispose();
    return { ...out, reusedPoisoned, liveBuffers: ctx.pool.stats().liveBuffers };
  } finally {
    ctx.dispose();
  }
}
