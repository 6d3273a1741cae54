// Page half of concat.test.ts: runs in headless Chromium with a real GPUDevice.
import { KernelContext } from '../core/context.ts';
import { Tensor, type Shape4 } from '../core/tensor.ts';
import { poisonPool, readWithPadding, restrictLimits, type LimitOverrides } from '../testing/readback.ts';
import { concat } from './concat.ts';

export async function runConcat(
  device: GPUDevice,
  c: { inputs: { data: Float32Array; shape: Shape4 }[]; limits?: LimitOverrides },
) {
  const { inputs } = c;
  const ctx = new KernelContext(device);
  restrictLimits(ctx, c.limits);
  try {
    const ts = inputs.map((t, i) => Tensor.fromArray(ctx, t.data, t.shape, `x${i}`));
    const outC = inputs.reduce((s, t) => s + t.shape[3], 0);
    const poisoned = poisonPool(ctx, [...inputs[0].shape.slice(0, 3), outC] as Shape4);
    const y = concat(ctx, ts);
    const reusedPoisoned = poisoned.includes(y.buffer);
    const out = await readWithPadding(y);
    for (const t of [...ts, y]) t.dispose();
    return { ...out, reusedPoisoned, liveBuffers: ctx.pool.stats().liveBuffers };
  } finally {
    ctx.dispose();
  }
}
