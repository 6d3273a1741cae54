// Page half of dense.test.ts: runs in headless Chromium with a real GPUDevice.
import { Conv2d } from '../conv/conv2d.ts';
import type { Activation } from '../core/types.ts';
import { KernelContext } from '../core/context.ts';
import { Tensor, type Shape4 } from '../core/tensor.ts';
import { readWithPadding } from '../testing/readback.ts';
import { Dense } from './dense.ts';

export interface DenseCase {
  x: Float32Array;
  xShape: Shape4;
  w: Float32Array;
  wShape: [number, number];
  bias?: Float32Array;
  activation?: Activation;
  label?: string;
}

export async function runDense(device: GPUDevice, c: DenseCase) {
  const ctx = new KernelContext(device);
  try {
    const x = Tensor.fromArray(ctx, c.x, c.xShape, 'x');
    const layer = Dense.create(ctx, c.w, c.wShape, {
      bias: c.bias,
      activation: c.activation,
      label: c.label,
    });
    const y = layer.run(x);
    const out = await readWithPadding(y);
    for (const t of [x, y]) t.dispose();
    layer.dispose();
    return { ...out, liveBuffers: ctx.pool.stats().liveBuffers };
  } finally {
    ctx.dispose();
  }
}

/** The same weights as a plain 1×1 Conv2d (HWIO [1,1,K,M]). */
export async function runConv1x1(device: GPUDevice, c: DenseCase) {
  const ctx = new KernelContext(device);
  try {
    const x = Tensor.fromArray(ctx, c.x, c.xShape, 'x');
    const conv = Conv2d.create(ctx, c.w, [1, 1, ...c.wShape], { bias: c.bias, activation: c.activation });
    const y = conv.run(x);
    const out = await readWithPadding(y);
    for (const t of [x, y]) t.dispose();
    conv.dispose();
    return { ...out, liveBuffers: ctx.pool.stats().liveBuffers };
  } finally {
    ctx.dispose();
  }
}
