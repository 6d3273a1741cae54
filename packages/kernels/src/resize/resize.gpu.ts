// Page half of resize.test.ts: runs in headless Chromium with a real GPUDevice.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { KernelContext } from '../core/context.ts';
import { Tensor, type Shape4 } from '../core/tensor.ts';
import { resize, upsampleNearest, type ResizeOptions } from './resize.ts';

export interface ResizeCase {
  x: Float32Array;
  shape: Shape4;
  options?: ResizeOptions;
  /** When set, runs upsampleNearest(factor) instead of resize. */
  factor?: number;
}

export async function runResize(device: GPUDevice, c: ResizeCase) {
  const ctx = new KernelContext(device);
  const input = Tensor.fromArray(ctx, c.x, c.shape, 'x');
  const out = c.factor !== undefined ? upsampleNearest(ctx, input, c.factor) : resize(ctx, input, c.options!);
  const data = await out.read();
  const shape = out.shape;
  input.dispose();
  out.dispose();
  const { liveBuffers } = ctx.pool.stats();
  ctx.dispose();
  return { data, shape, liveBuffers };
}

async function cpuBackend(): Promise<void> {
  if (tf.getBackend() !== 'cpu') await tf.setBackend('cpu');
  await tf.ready();
}

/** TF.js CPU backend's resizeBilinear / resizeNearestNeighbor: the reference for the TF conventions. */
export async function tfResize(
  _device: GPUDevice,
  c: {
    x: Float32Array;
    shape: Shape4;
    size: [number, number];
    method: 'bilinear' | 'nearest';
    alignCorners: boolean;
    halfPixelCenters: boolean;
  },
) {
  await cpuBackend();
  const x = tf.tensor4d(c.x, c.shape);
  const y =
    c.method === 'bilinear'
      ? tf.image.resizeBilinear(x, c.size, c.alignCorners, c.halfPixelCenters)
      : tf.image.resizeNearestNeighbor(x, c.size, c.alignCorners, c.halfPixelCenters);
  const data = (await y.data()) as Float32Array;
  x.dispose();
  y.dispose();
  return data;
}

/** tfjs-layers UpSampling2D (nearest) on the CPU backend. */
export async function tfUpSampling2d(
  _device: GPUDevice,
  c: { x: Float32Array; shape: Shape4; factor: number },
) {
  await cpuBackend();
  const x = tf.tensor4d(c.x, c.shape);
  const layer = tfl.layers.upSampling2d({ size: [c.factor, c.factor], interpolation: 'nearest' });
  const y = layer.apply(x) as tf.Tensor;
  const data = (await y.data()) as Float32Array;
  x.dispose();
  y.dispose();
  return data;
}
