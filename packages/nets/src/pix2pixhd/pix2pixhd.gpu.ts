// Page half of pix2pixhd.test.ts: our generator on WebGPU and the TF.js reference (CPU backend) on
// the same safetensors bytes, in the same page.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { KernelContext, Tensor, type Shape4 } from '@avatarme/kernels';
import { SafetensorsFile } from '../safetensors/reader.ts';
import type { Pix2PixHDOptions } from './architecture.ts';
import { PIX2PIXHD_DEFAULTS } from './architecture.ts';
import { Pix2PixHDGenerator } from './generator.ts';
import { pix2pixhdTfjs } from './reference-tfjs.ts';

export interface ParityCase {
  weights: Uint8Array;
  options: Partial<Pix2PixHDOptions>;
  x: Float32Array;
  shape: Shape4;
}

export async function runGenerator(device: GPUDevice, c: ParityCase) {
  const ctx = new KernelContext(device);
  const file = SafetensorsFile.parse(c.weights, 'random.safetensors');
  const gen = Pix2PixHDGenerator.fromSafetensors(ctx, file, c.options);
  const input = Tensor.fromArray(ctx, c.x, c.shape, 'x');
  await ctx.finish();
  ctx.pool.resetPeak();
  const before = ctx.pool.stats().liveBytes;
  const out = gen.run(input);
  const shape = out.shape;
  const data = await out.read();
  const peakActivationBytes = ctx.pool.stats().peakBytes - before;
  input.dispose();
  out.dispose();
  gen.dispose();
  const { liveBuffers } = ctx.pool.stats();
  ctx.dispose();
  return { data, shape, liveBuffers, peakActivationBytes, dispatches: ctx.dispatchCount };
}

export async function runReference(_device: GPUDevice, c: ParityCase) {
  if (tf.getBackend() !== 'cpu') await tf.setBackend('cpu');
  await tf.ready();
  const file = SafetensorsFile.parse(c.weights, 'random.safetensors');
  const param = (key: string) => tf.tensor(file.float32(key), file.info(key).shape);
  const x = tf.tensor4d(c.x, c.shape);
  const y = pix2pixhdTfjs({ ...PIX2PIXHD_DEFAULTS, ...c.options }, param, x);
  const data = (await y.data()) as Float32Array;
  const shape = y.shape;
  x.dispose();
  y.dispose();
  return { data, shape };
}
