// Page half of backward-data.test.ts: runs in headless Chromium with a real GPUDevice.
import { KernelContext } from '../core/context.ts';
import { Tensor, type Shape4 } from '../core/tensor.ts';
import { poisonPool, readWithPadding } from '../testing/readback.ts';
import { Conv2dBackwardData, type Conv2dBackwardDataOptions } from './backward-data.ts';

export interface BackwardDataCase {
  dy: Float32Array;
  dyShape: Shape4;
  xShape: Shape4;
  w: Float32Array;
  wShape: [number, number, number, number];
  o: Conv2dBackwardDataOptions;
}

export async function runConv2dBackwardData(device: GPUDevice, c: BackwardDataCase) {
  const ctx = new KernelContext(device);
  try {
    const layer = Conv2dBackwardData.create(ctx, c.w, c.wShape, c.o);
    const dy = Tensor.fromArray(ctx, c.dy, c.dyShape, 'dy');
    const poisoned = poisonPool(ctx, c.xShape);
    const dx = layer.run(dy, c.xShape);
    const reusedPoisoned = poisoned.includes(dx.buffer);
    const out = await readWithPadding(dx);
    for (const t of [dy, dx]) t.dispose();
    layer.dispose();
    return { ...out, reusedPoisoned, liveBuffers: ctx.pool.stats().liveBuffers };
  } finally {
    ctx.dispose();
  }
}
