// Page half of mean-backward.test.ts: runs in headless Chromium with a real GPUDevice.
import { KernelContext } from '../core/context.ts';
import { Tensor, type Shape4 } from '../core/tensor.ts';
import { readWithPadding } from '../testing/readback.ts';
import { globalMeanBackward } from './mean-backward.ts';

export async function runMeanBackward(device: GPUDevice, c: { dy: Float32Array; xShape: Shape4 }) {
  const ctx = new KernelContext(device);
  try {
    const [n, , , ch] = c.xShape;
    const dy = Tensor.fromArray(ctx, c.dy, [n, 1, 1, ch], 'dy');
    const dx = globalMeanBackward(ctx, dy, c.xShape);
    const out = await readWithPadding(dx);
    for (const t of [dy, dx]) t.dispose();
    return { ...out, liveBuffers: ctx.pool.stats().liveBuffers };
  } finally {
    ctx.dispose();
  }
}
