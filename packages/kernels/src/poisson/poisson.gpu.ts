// Page half of poisson.test.ts: runs in headless Chromium with a real GPUDevice.
import { KernelContext } from '../core/context.ts';
import { Tensor, type Shape4 } from '../core/tensor.ts';
import { poissonBlend, type PoissonBlendOptions } from './poisson.ts';

export async function runPoissonBlend(
  device: GPUDevice,
  c: {
    target: Float32Array;
    guide: Float32Array;
    labels: Float32Array;
    shape: Shape4;
    labelShape?: Shape4;
    options?: PoissonBlendOptions;
  },
) {
  const ctx = new KernelContext(device);
  const [n, h, w] = c.shape;
  const target = Tensor.fromArray(ctx, c.target, c.shape, 'target');
  const guide = Tensor.fromArray(ctx, c.guide, c.shape, 'guide');
  const labels = Tensor.fromArray(ctx, c.labels, c.labelShape ?? [n, h, w, 1], 'labels');
  try {
    const out = poissonBlend(ctx, target, guide, labels, c.options);
    const data = await out.read();
    out.dispose();
    for (const t of [target, guide, labels]) t.dispose();
    const { liveBuffers } = ctx.pool.stats();
    return { data, liveBuffers };
  } finally {
    ctx.dispose();
  }
}
