// Page half of inpaint.test.ts: runs in headless Chromium with a real GPUDevice.
import { KernelContext } from '../../core/context.ts';
import { Tensor, type Shape4 } from '../../core/tensor.ts';
import { pushPullInpaint } from './inpaint.ts';

export async function runInpaint(
  device: GPUDevice,
  c: { x: Float32Array; mask: Float32Array; shape: Shape4; maskShape?: Shape4 },
) {
  const ctx = new KernelContext(device);
  const [n, h, w] = c.shape;
  const x = Tensor.fromArray(ctx, c.x, c.shape, 'x');
  const mask = Tensor.fromArray(ctx, c.mask, c.maskShape ?? [n, h, w, 1], 'mask');
  const out = pushPullInpaint(ctx, x, mask);
  const data = await out.read();
  for (const t of [x, mask, out]) t.dispose();
  const { liveBuffers } = ctx.pool.stats();
  ctx.dispose();
  return { data, liveBuffers };
}
