// Page half of graph-model.test.ts: the same graph-model files and the same input through our kernels
// and through TensorFlow.js (tfjs-converter on the WASM backend, CPU if WASM cannot start).
import { KernelContext, Tensor, type Shape4 } from '@avatarme/kernels';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { loadGraphModel as tfLoadGraphModel } from '@tensorflow/tfjs-converter';
import { randomArray } from '@avatarme/testing/page';
import { GraphModel } from './model.ts';

let backendReady: Promise<string> | undefined;
function tfBackend(): Promise<string> {
  backendReady ??= (async () => {
    setWasmPaths('/node_modules/@tensorflow/tfjs-backend-wasm/dist/');
    if (!(await tf.setBackend('wasm'))) await tf.setBackend('cpu');
    await tf.ready();
    return tf.getBackend();
  })();
  return backendReady;
}

export interface ParityCase {
  url: string;
  shape: Shape4;
  seed: number;
  lo: number;
  hi: number;
}

export async function runGraphParity(device: GPUDevice, c: ParityCase) {
  const x = randomArray(
    c.shape.reduce((a, b) => a * b, 1),
    c.seed,
    c.lo,
    c.hi,
  );
  const ctx = new KernelContext(device);
  const model = await GraphModel.load(ctx, c.url);
  const input = Tensor.fromArray(ctx, x, c.shape, 'input');
  const t0 = performance.now();
  const outs = model.run(input);
  const ours: Record<string, Float32Array> = {};
  const shapes: Record<string, number[]> = {};
  for (const [k, o] of Object.entries(outs)) {
    ours[k] = await o.tensor.read();
    shapes[k] = o.shape;
  }
  const oursMs = performance.now() - t0;
  for (const o of Object.values(outs)) o.tensor.dispose();
  input.dispose();
  model.dispose();
  const live = ctx.pool.stats().liveBuffers;
  ctx.dispose();

  const backend = await tfBackend();
  const tfModel = await tfLoadGraphModel(c.url);
  const tfOut = tf.tidy(() => {
    const r = tfModel.execute(tf.tensor(x, c.shape), model.spec.outputs);
    return Array.isArray(r) ? r : [r];
  });
  const ref: Record<string, Float32Array> = {};
  const refShapes: Record<string, number[]> = {};
  model.outputKeys.forEach((k, i) => {
    ref[k] = tfOut[i].dataSync() as Float32Array;
    refShapes[k] = tfOut[i].shape;
  });
  tf.dispose(tfOut);
  tfModel.dispose();
  return { ours, shapes, ref, refShapes, backend, oursMs, liveBuffers: live, steps: model.spec.nodes.length };
}
