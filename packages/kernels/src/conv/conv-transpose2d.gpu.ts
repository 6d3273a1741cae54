// Page half of conv-transpose2d.test.ts: runs in headless Chromium with a real GPUDevice.
import { KernelContext } from '../core/context.ts';
import { Tensor, type Shape4 } from '../core/tensor.ts';
import { setCompileTierPolicy, type CompileTierPolicy } from '../core/compile-tier.ts';
import { ConvTranspose2d, type ConvTranspose2dOptions } from './conv-transpose2d.ts';

export interface ConvTranspose2dCase {
  x: Float32Array;
  xShape: Shape4;
  w: Float32Array;
  wShape: [number, number, number, number];
  options: ConvTranspose2dOptions;
  /** Forces the compile tier of this run (without options.tiling); adaptive afterwards. */
  policy?: CompileTierPolicy;
}

export async function runConvTranspose2d(device: GPUDevice, c: ConvTranspose2dCase) {
  const ctx = new KernelContext(device);
  setCompileTierPolicy(device, c.policy ?? 'adaptive');
  const input = Tensor.fromArray(ctx, c.x, c.xShape, 'x');
  const layer = ConvTranspose2d.create(ctx, c.w, c.wShape, c.options);
  const out = layer.run(input);
  const data = await out.read();
  const shape = out.shape;
  input.dispose();
  out.dispose();
  layer.dispose();
  const pool = ctx.pool.stats();
  ctx.dispose();
  setCompileTierPolicy(device, 'adaptive');
  return { data, shape, liveBuffers: pool.liveBuffers };
}
