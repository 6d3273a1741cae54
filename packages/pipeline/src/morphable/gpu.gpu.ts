// Page half of gpu.test.ts: runs in headless Chromium with a real GPUDevice.
import { KernelContext } from '@avatarme/kernels';
import { MorphableModelGpu } from './gpu.ts';

export async function evaluateOnGpu(
  device: GPUDevice,
  a: {
    neutral: Float32Array;
    identity: Float32Array;
    expression: Float32Array;
    counts: [number, number];
    wId: Float32Array;
    wExp: Float32Array;
  },
) {
  const ctx = new KernelContext(device);
  const gpu = MorphableModelGpu.create(ctx, {
    neutral: a.neutral,
    identity: { count: a.counts[0], names: [], data: a.identity },
    expression: { count: a.counts[1], names: [], data: a.expression },
  });
  const out = gpu.evaluate(a.wId, a.wExp);
  const data = await out.read();
  out.dispose();
  gpu.dispose();
  const live = ctx.pool.stats().liveBuffers;
  ctx.dispose();
  return { data, live };
}
