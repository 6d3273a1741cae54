// Page half of backward.test.ts: runs in headless Chromium with a real GPUDevice.
import { KernelContext } from '../core/context.ts';
import { Tensor, type Shape4 } from '../core/tensor.ts';
import { poisonPool, readWithPadding } from '../testing/readback.ts';
import { pool2dBackward } from './backward.ts';
import { planPool2d, type Pool2dOptions } from './pool.ts';

export async function runPoolBackward(
  device: GPUDevice,
  c: { x: Float32Array; dy: Float32Array; shape: Shape4; o: Pool2dOptions },
) {
  const ctx = new KernelContext(device);
  try {
    const x = Tensor.fromArray(ctx, c.x, c.shape, 'x');
    const dy = Tensor.fromArray(ctx, c.dy, planPool2d(c.shape, c.o).outShape, 'dy');
    const poisoned = poisonPool(ctx, c.shape);
    const dx = pool2dBackward(ctx, x, dy, c.o);
    const reusedPoisoned = poisoned.includes(dx.buffer);
    const out = await readWithPadding(dx);
    for (const t of [x, dy, dx]) t.dispose();
    return { ...out, reusedPoisoned, liveBuffers: ctx.pool.stats().liveBuffers };
  } finally {
    ctx.dispose();
  }
}
