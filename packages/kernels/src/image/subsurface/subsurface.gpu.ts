// Page half of subsurface.test.ts: runs in headless Chromium with a real GPUDevice.
import { KernelContext } from '../../core/context.ts';
import { Tensor, type Shape4 } from '../../core/tensor.ts';
import { subsurfaceBlur, type SubsurfaceBlurOptions } from './subsurface.ts';

export async function runSubsurfaceBlur(
  device: GPUDevice,
  c: { x: Float32Array; shape: Shape4; options: SubsurfaceBlurOptions },
) {
  const ctx = new KernelContext(device);
  const input = Tensor.fromArray(ctx, c.x, c.shape, 'x');
  const out = subsurfaceBlur(ctx, input, c.options);
  const data = await out.read();
  input.dispose();
  out.dispose();
  const { liveBuffers } = ctx.pool.stats();
  ctx.dispose();
  return { data, liveBuffers };
}
