// Page half of cases/onnx.ts.
import { KernelContext, Tensor } from '@avatarme/kernels';
import { Graph } from '@avatarme/nets/ir/graph.ts';
import { importOnnx } from '@avatarme/nets/onnx/import.ts';
import { esrganModel, esrganModelUrl } from '@avatarme/nets/esrgan/registry.ts';
import { registerUpscalerLayers } from '@avatarme/nets/esrgan/tfjs-layers.ts';
import * as tfl from '@tensorflow/tfjs-layers';
import { randomArray } from '@avatarme/testing/page';
import { ort, ortSession, timeOrt, type OrtProvider } from '../page/ort.ts';
import { timeRuns, type PageBenchFn, type TimingRequest } from '../page/timing.ts';
import { tf, tfWebGpu } from '../page/tfjs.ts';

export { esrganTf } from './esrgan.page.ts';

export interface OnnxArgs {
  url: string;
  model: string;
  scale: number;
  size: number;
}

/** The same pixels for every subject: NHWC for ours and TF.js, NCHW for ONNX Runtime. */
function pixels(size: number): { nhwc: Float32Array; nchw: Float32Array } {
  const nhwc = randomArray(size * size * 3, 1, 0, 255);
  const nchw = new Float32Array(nhwc.length);
  for (let p = 0; p < size * size; p++)
    for (let c = 0; c < 3; c++) nchw[c * size * size + p] = nhwc[p * 3 + c];
  return { nhwc, nchw };
}

const fetchBytes = async (url: string) => new Uint8Array(await (await fetch(url)).arrayBuffer());

export const onnxOurs: PageBenchFn<OnnxArgs> = async (device, req) => {
  const a = req.args;
  const ctx = new KernelContext(device);
  const { spec } = importOnnx(await fetchBytes(a.url), a.url);
  const graph = Graph.create(ctx, spec);
  const x = Tensor.fromArray(ctx, pixels(a.size).nhwc, [1, a.size, a.size, 3], 'bench.x');
  try {
    return await timeRuns(req, async () => {
      const y = graph.run({ [spec.inputs[0]]: x })[spec.outputs[0]];
      await ctx.finish();
      y.dispose();
    });
  } finally {
    x.dispose();
    graph.dispose();
    ctx.dispose();
  }
};

async function ortRuns(req: TimingRequest<OnnxArgs>, provider: OrtProvider) {
  const a = req.args;
  const session = await ortSession(await fetchBytes(a.url), provider);
  const x = new ort.Tensor('float32', pixels(a.size).nchw, [1, 3, a.size, a.size]);
  try {
    return await timeOrt(req, session, { [session.inputNames[0]]: x }, provider);
  } finally {
    await session.release();
  }
}

export const onnxOrtWebGpu: PageBenchFn<OnnxArgs> = (_device, req) => ortRuns(req, 'webgpu');
export const onnxOrtWasm: PageBenchFn<OnnxArgs> = (_device, req) => ortRuns(req, 'wasm');

// Cold rows: called once in a fresh page; the time from the call to the first output on the CPU:
// model fetch and import, weight upload, shader and pipeline creation, one run and the read-back.
// The libraries' own JavaScript is loaded with the page module, before the clock starts.
async function cold(step: () => Promise<unknown>): Promise<{ ms: number[] }> {
  const t0 = performance.now();
  await step();
  return { ms: [performance.now() - t0] };
}

export const onnxOursCold: PageBenchFn<OnnxArgs> = (device, { args: a }) =>
  cold(async () => {
    const ctx = new KernelContext(device);
    const { spec } = importOnnx(await fetchBytes(a.url), a.url);
    const graph = Graph.create(ctx, spec);
    const x = Tensor.fromArray(ctx, pixels(a.size).nhwc, [1, a.size, a.size, 3], 'bench.x');
    const y = graph.run({ [spec.inputs[0]]: x })[spec.outputs[0]];
    await y.read();
    for (const t of [x, y]) t.dispose();
    graph.dispose();
    ctx.dispose();
  });

const ortCold =
  (provider: OrtProvider): PageBenchFn<OnnxArgs> =>
  (_device, { args: a }) =>
    cold(async () => {
      const session = await ort.InferenceSession.create(await fetchBytes(a.url), {
        executionProviders: [provider],
      });
      const x = new ort.Tensor('float32', pixels(a.size).nchw, [1, 3, a.size, a.size]);
      const out = await session.run({ [session.inputNames[0]]: x });
      await out[session.outputNames[0]].getData();
      await session.release();
    });

export const onnxOrtWebGpuCold = (device: GPUDevice, req: TimingRequest<OnnxArgs>) => {
  ort.env.wasm.wasmPaths = '/node_modules/onnxruntime-web/dist/';
  ort.env.wasm.numThreads = 1;
  return ortCold('webgpu')(device, req);
};
export const onnxOrtWasmCold = (device: GPUDevice, req: TimingRequest<OnnxArgs>) => {
  ort.env.wasm.wasmPaths = '/node_modules/onnxruntime-web/dist/';
  ort.env.wasm.numThreads = 1;
  return ortCold('wasm')(device, req);
};

export const esrganTfCold: PageBenchFn<OnnxArgs> = (_device, { args: a }) =>
  cold(async () => {
    await tfWebGpu();
    registerUpscalerLayers(tf, tfl, a.scale);
    const model = await tfl.loadLayersModel(esrganModelUrl(esrganModel(a.model, a.scale)));
    const x = tf.tensor4d(pixels(a.size).nhwc, [1, a.size, a.size, 3]);
    const y = model.predict(x) as tf.Tensor;
    await y.data();
    for (const t of [x, y]) t.dispose();
    model.dispose();
  });
