// Page half of esrgan.test.ts: our graph and TensorFlow.js (tfjs-layers on the WASM backend) run the
// same model.json on the same input.
import { KernelContext } from '@avatarme/kernels';
import { decodeTestImage } from '@avatarme/testing/page';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as tfl from '@tensorflow/tfjs-layers';
import { EsrganNet } from './esrgan.ts';
import { registerUpscalerLayers } from './tfjs-layers.ts';
import { esrganModel, esrganModelUrl, toModelRange, type EsrganModelInfo } from './registry.ts';

let backendReady: Promise<void> | undefined;
function tfBackend(): Promise<void> {
  backendReady ??= (async () => {
    setWasmPaths('/node_modules/@tensorflow/tfjs-backend-wasm/dist/');
    if (!(await tf.setBackend('wasm'))) await tf.setBackend('cpu');
    await tf.ready();
  })();
  return backendReady;
}

export interface ParityArgs {
  model: string;
  scale: number;
  /** Dense HWC RGB pixels in [0, 255]. */
  pixels: Float32Array;
  height: number;
  width: number;
  /** Feed pixels · inputScale instead of the registry's range (to test which range the weights expect). */
  inputScale?: number;
  /** Skip TF.js (when only our output is needed). */
  noReference?: boolean;
}

async function runTfjs(info: EsrganModelInfo, x: Float32Array, a: ParityArgs) {
  await tfBackend();
  registerUpscalerLayers(tf, tfl, a.scale);
  const tfModel = await tfl.loadLayersModel(esrganModelUrl(info));
  const t0 = performance.now();
  const y = tf.tidy(() => tfModel.predict(tf.tensor4d(x, [1, a.height, a.width, 3])) as tf.Tensor);
  const ref = (await y.data()) as Float32Array;
  const refShape = y.shape;
  const refMs = performance.now() - t0;
  y.dispose();
  tfModel.dispose();
  return { ref, refShape, refMs };
}

export async function esrganParity(device: GPUDevice, a: ParityArgs) {
  const info = esrganModel(a.model, a.scale);
  const x =
    a.inputScale === undefined ? toModelRange(a.pixels, info) : a.pixels.map((v) => v * a.inputScale!);
  const reference = a.noReference
    ? { ref: new Float32Array(), refShape: [] as number[], refMs: 0 }
    : await runTfjs(info, x, a);
  const ctx = new KernelContext(device);
  const net = await EsrganNet.load(ctx, a.model, a.scale);
  await ctx.finish();
  ctx.pool.resetPeak();
  const t1 = performance.now();
  const ours = await net.predict(x, a.height, a.width);
  const oursMs = performance.now() - t1;
  const stats = net.graph.lastRun!;
  const peakPoolBytes = ctx.pool.stats().peakBytes;
  const plan = net.graph.plan({ [net.graph.spec.inputs[0]]: [1, a.height, a.width, 3] });
  net.dispose();
  const pool = ctx.pool.stats();
  ctx.dispose();
  return {
    ours,
    ...reference,
    oursMs,
    backend: tf.getBackend(),
    peakPoolBytes,
    plannedPeakBytes: stats.plannedPeakBytes,
    unplannedBytes: plan.totalBytes,
    dispatches: stats.dispatches,
    liveBuffersAfter: pool.liveBuffers,
  };
}

/** A crop of a photo as dense HWC RGB pixels in [0, 255]. */
export async function photoCrop(
  _device: GPUDevice,
  a: { bytes: Uint8Array; x: number; y: number; width: number; height: number },
) {
  const img = await decodeTestImage(a.bytes);
  const out = new Float32Array(a.width * a.height * 3);
  for (let r = 0; r < a.height; r++)
    for (let c = 0; c < a.width; c++)
      for (let k = 0; k < 3; k++)
        out[(r * a.width + c) * 3 + k] = img.data[((a.y + r) * img.width + a.x + c) * 4 + k];
  return out;
}
