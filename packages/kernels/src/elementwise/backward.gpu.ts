// Page half of backward.test.ts: runs in headless Chromium with a real GPUDevice.
import { KernelContext } from '../core/context.ts';
import { Tensor, type Shape4 } from '../core/tensor.ts';
import { readWithPadding } from '../testing/readback.ts';
import {
  activationBackward,
  minMaxBackward,
  type ActivationGradOp,
  type ActivationGradOptions,
} from './backward.ts';

export async function runActivationBackward(
  device: GPUDevice,
  c: { act: ActivationGradOp; y: Float32Array; dy: Float32Array; shape: Shape4; o: ActivationGradOptions },
) {
  const ctx = new KernelContext(device);
  try {
    const y = Tensor.fromArray(ctx, c.y, c.shape, 'y');
    const dy = Tensor.fromArray(ctx, c.dy, c.shape, 'dy');
    const dx = activationBackward(ctx, c.act, y, dy, c.o);
    const out = await readWithPadding(dx);
    for (const t of [y, dy, dx]) t.dispose();
    return { ...out, liveBuffers: ctx.pool.stats().liveBuffers };
  } finally {
    ctx.dispose();
  }
}

export async function runMinMaxBackward(
  device: GPUDevice,
  c: {
    mode: 'min' | 'max';
    a: Float32Array;
    b: Float32Array | number;
    bTensor: boolean;
    dy: Float32Array;
    shape: Shape4;
  },
) {
  const ctx = new KernelContext(device);
  try {
    const a = Tensor.fromArray(ctx, c.a, c.shape, 'a');
    const dy = Tensor.fromArray(ctx, c.dy, c.shape, 'dy');
    const b = c.bTensor ? Tensor.fromArray(ctx, c.b as Float32Array, c.shape, 'b') : c.b;
    const dx = minMaxBackward(ctx, c.mode, a, b, dy);
    const out = await readWithPadding(dx);
    for (const t of [a, dy, dx, b]) if (t instanceof Tensor) t.dispose();
    return { ...out, liveBuffers: ctx.pool.stats().liveBuffers };
  } finally {
    ctx.dispose();
  }
}
