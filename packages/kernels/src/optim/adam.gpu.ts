// Page half of adam.test.ts: runs in headless Chromium with a real GPUDevice.
import { KernelContext } from '../core/context.ts';
import { Tensor } from '../core/tensor.ts';
import { Adam } from './adam.ts';

export interface AdamCase {
  params: Float32Array;
  /** One gradient per step, each [N]. */
  grads: Float32Array[];
  lr: Float32Array;
}

export async function runAdam(device: GPUDevice, c: AdamCase) {
  const ctx = new KernelContext(device);
  const n = c.params.length;
  const params = Tensor.fromArray(ctx, c.params, [1, 1, 1, n], 'params');
  const adam = Adam.create(ctx, params, c.lr);
  for (const g of c.grads) {
    const grad = Tensor.fromArray(ctx, g, [1, 1, 1, n], 'grad');
    adam.step(grad);
    grad.dispose();
  }
  const out = await params.read();
  adam.dispose();
  params.dispose();
  const live = ctx.pool.stats().liveBuffers;
  ctx.dispose();
  return { params: out, liveBuffers: live };
}
