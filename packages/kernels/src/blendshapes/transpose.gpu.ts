// Page half of transpose.test.ts: runs in headless Chromium with a real GPUDevice.
import { KernelContext } from '../core/context.ts';
import { Tensor } from '../core/tensor.ts';
import { blendshapesTranspose } from './transpose.ts';

export async function runTranspose(device: GPUDevice, c: { basis: Float32Array; grad: Float32Array }) {
  const ctx = new KernelContext(device);
  const rows = c.grad.length;
  const modes = c.basis.length / rows;
  const basis = Tensor.fromArray(ctx, c.basis, [modes, 1, 1, rows], 'basis');
  const grad = Tensor.fromArray(ctx, c.grad, [1, 1, 1, rows], 'grad');
  const out = blendshapesTranspose(ctx, basis, grad);
  const data = await out.read();
  for (const t of [basis, grad, out]) t.dispose();
  const live = ctx.pool.stats().liveBuffers;
  ctx.dispose();
  return { data, liveBuffers: live };
}
