// Page half of conv2d.test.ts: runs in headless Chromium with a real GPUDevice.
import { KernelContext } from '../core/context.ts';
import { Tensor, type Shape4 } from '../core/tensor.ts';
import { setCompileTierPolicy, type CompileTierPolicy } from '../core/compile-tier.ts';
import { Conv2d, type Conv2dOptions } from './conv2d.ts';

export interface Conv2dCase {
  x: Float32Array;
  xShape: Shape4;
  w: Float32Array;
  wShape: [number, number, number, number];
  options: Conv2dOptions;
  residual?: Float32Array;
  /** Forces the compile tier of this run (without options.tiling); adaptive afterwards. */
  policy?: CompileTierPolicy;
}

export async function runConv2d(device: GPUDevice, c: Conv2dCase) {
  const ctx = new KernelContext(device);
  setCompileTierPolicy(device, c.policy ?? 'adaptive');
  const input = Tensor.fromArray(ctx, c.x, c.xShape, 'x');
  const conv = Conv2d.create(ctx, c.w, c.wShape, c.options);
  const residual = c.residual
    ? Tensor.fromArray(ctx, c.residual, conv.outputShape(c.xShape), 'residual')
    : undefined;
  const out = conv.run(input, { residual });
  const data = await out.read();
  const shape = out.shape;
  for (const t of [input, residual, out]) t?.dispose();
  conv.dispose();
  const pool = ctx.pool.stats();
  ctx.dispose();
  setCompileTierPolicy(device, 'adaptive');
  return { data, shape, liveBuffers: pool.liveBuffers };
}
