// Page half of affine-warp.test.ts: runs in headless Chromium with a real GPUDevice.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { KernelContext } from '../../core/context.ts';
import { Tensor, type Shape4 } from '../../core/tensor.ts';
import { affineWarp, type AffineWarpOptions } from './affine-warp.ts';

export async function runAffineWarp(
  device: GPUDevice,
  c: { x: Float32Array; shape: Shape4; options: AffineWarpOptions },
) {
  const ctx = new KernelContext(device);
  const input = Tensor.fromArray(ctx, c.x, c.shape, 'x');
  const out = affineWarp(ctx, input, c.options);
  const data = await out.read();
  const shape = out.shape;
  input.dispose();
  out.dispose();
  const { liveBuffers } = ctx.pool.stats();
  ctx.dispose();
  return { data, shape, liveBuffers };
}

/** tf.image.transform (bilinear) on the TF.js CPU backend, with our matrix converted to TF's convention. */
export async function tfTransform(
  _device: GPUDevice,
  c: { x: Float32Array; shape: Shape4; options: AffineWarpOptions },
) {
  if (tf.getBackend() !== 'cpu') await tf.setBackend('cpu');
  await tf.ready();
  const [m0, m1, m2, m3, m4, m5] = c.options.matrix;
  // TF maps output pixel index (x, y) to input pixel index: x_in = a0·x + a1·y + a2 (no half pixels).
  const t = tf.tensor2d([[m0, m1, m2 - 0.5 + 0.5 * (m0 + m1), m3, m4, m5 - 0.5 + 0.5 * (m3 + m4), 0, 0]]);
  const fillMode = c.options.border === 'replicate' ? 'nearest' : 'constant';
  // One image at a time: TF.js 4.22's CPU Transform kernel returns after the first batch item.
  const [n, h, w, ch] = c.shape;
  const per = h * w * ch;
  const data = new Float32Array(n * c.options.height * c.options.width * ch);
  for (let b = 0; b < n; b++) {
    const x = tf.tensor4d(c.x.subarray(b * per, (b + 1) * per), [1, h, w, ch]);
    const y = tf.image.transform(x, t, 'bilinear', fillMode, 0, [c.options.height, c.options.width]);
    data.set((await y.data()) as Float32Array, b * y.size);
    x.dispose();
    y.dispose();
  }
  t.dispose();
  return data;
}
