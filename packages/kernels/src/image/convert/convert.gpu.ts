// Page half of convert.test.ts: runs in headless Chromium with a real GPUDevice.
import { KernelContext } from '../../core/context.ts';
import { Tensor, type Shape4 } from '../../core/tensor.ts';
import { readRgba8, rgba8ToTensor, tensorToRgba8, type PerChannel } from './convert.ts';

export async function runRgba8ToTensor(
  device: GPUDevice,
  c: {
    rgba: Uint8ClampedArray;
    width: number;
    height: number;
    channels?: 3 | 4;
    scale?: PerChannel;
    bias?: PerChannel;
  },
) {
  const ctx = new KernelContext(device);
  const t = rgba8ToTensor(ctx, c.rgba, c.width, c.height, c);
  // Read the raw buffer too, to check the pad lane is zero.
  const raw = new Float32Array(await ctx.readBuffer(t.buffer, t.byteLength));
  const data = await t.read();
  const shape = t.shape;
  t.dispose();
  const { liveBuffers } = ctx.pool.stats();
  ctx.dispose();
  return { data, raw, shape, liveBuffers };
}

export async function runTensorToRgba8(
  device: GPUDevice,
  c: { x: Float32Array; shape: Shape4; scale?: number; bias?: number },
) {
  const ctx = new KernelContext(device);
  const t = Tensor.fromArray(ctx, c.x, c.shape, 'x');
  const buf = tensorToRgba8(ctx, t, c);
  const rgba = await readRgba8(ctx, buf, c.shape[2], c.shape[0] * c.shape[1]);
  ctx.pool.release(buf);
  t.dispose();
  const { liveBuffers } = ctx.pool.stats();
  ctx.dispose();
  return { rgba, liveBuffers };
}

/** u8 → tensor (default scale 1/255) → u8 (default scale 255), all on the GPU. */
export async function runRoundTrip(
  device: GPUDevice,
  c: { rgba: Uint8ClampedArray; width: number; height: number },
) {
  const ctx = new KernelContext(device);
  const t = rgba8ToTensor(ctx, c.rgba, c.width, c.height, { channels: 4 });
  const buf = tensorToRgba8(ctx, t);
  const rgba = await readRgba8(ctx, buf, c.width, c.height);
  ctx.pool.release(buf);
  t.dispose();
  ctx.dispose();
  return rgba;
}
