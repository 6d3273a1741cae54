// Page half of pixel-shuffle.test.ts: runs in headless Chromium with a real GPUDevice.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { KernelContext } from '../core/context.ts';
import { Tensor, type Shape4 } from '../core/tensor.ts';
import { depthToSpace, type DepthToSpaceOrder } from './pixel-shuffle.ts';

export interface DepthToSpaceCase {
  x: Float32Array;
  shape: Shape4;
  block: number;
  order: DepthToSpaceOrder;
}

export async function runDepthToSpace(device: GPUDevice, c: DepthToSpaceCase) {
  const ctx = new KernelContext(device);
  const input = Tensor.fromArray(ctx, c.x, c.shape, 'x');
  const out = depthToSpace(ctx, input, c.block, c.order);
  const data = await out.read();
  const shape = out.shape;
  input.dispose();
  out.dispose();
  const { liveBuffers } = ctx.pool.stats();
  ctx.dispose();
  return { data, shape, liveBuffers };
}

/** tf.depthToSpace (NHWC) on the TF.js CPU backend. */
export async function tfDepthToSpace(
  _device: GPUDevice,
  c: { x: Float32Array; shape: Shape4; block: number },
) {
  if (tf.getBackend() !== 'cpu') await tf.setBackend('cpu');
  await tf.ready();
  const x = tf.tensor4d(c.x, c.shape);
  const y = tf.depthToSpace(x, c.block, 'NHWC');
  const data = (await y.data()) as Float32Array;
  x.dispose();
  y.dispose();
  return data;
}
