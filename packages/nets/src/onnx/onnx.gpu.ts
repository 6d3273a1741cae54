// Page half of onnx.test.ts: one ONNX file through importOnnx + the executor and through
// onnxruntime-web (its WASM backend or its WebGPU provider, on its own device of the same adapter),
// on the same input.
import * as ort from 'onnxruntime-web';
import { KernelContext, Tensor } from '@avatarme/kernels';
import { randomArray } from '@avatarme/testing/page';
import { Graph } from '../ir/graph.ts';
import { importOnnx } from './import.ts';

export interface OrtParityCase {
  url: string;
  /** NCHW input shape. */
  shape: [number, number, number, number];
  lo: number;
  hi: number;
  seed: number;
  /** ONNX Runtime's backend; default 'wasm'. */
  provider?: 'wasm' | 'webgpu';
}

/** One model output: ours as the NHWC tensor holds it, ONNX Runtime's in the same order. */
export interface OutputPair {
  name: string;
  ours: Float32Array;
  oursShape: number[];
  ref: Float32Array;
  refDims: number[];
}

function nchwToNhwc(x: Float32Array, [n, c, h, w]: readonly number[]): Float32Array {
  const out = new Float32Array(x.length);
  for (let b = 0; b < n; b++)
    for (let ch = 0; ch < c; ch++)
      for (let p = 0; p < h * w; p++) out[(b * h * w + p) * c + ch] = x[(b * c + ch) * h * w + p];
  return out;
}

export async function onnxVsOrt(device: GPUDevice, c: OrtParityCase) {
  const bytes = new Uint8Array(await (await fetch(c.url)).arrayBuffer());
  const [n, ch, h, w] = c.shape;
  const x = randomArray(n * ch * h * w, c.seed, c.lo, c.hi);

  ort.env.wasm.wasmPaths = '/node_modules/onnxruntime-web/dist/';
  // Without cross-origin isolation the page has no SharedArrayBuffer, so no WASM threads.
  ort.env.wasm.numThreads = 1;
  const provider = c.provider ?? 'wasm';
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(bytes, { executionProviders: [provider] });
  } catch (e) {
    throw new Error(`onnxruntime-web ${provider} session: ${(e as Error).message}`, { cause: e });
  }
  const t0 = performance.now();
  const result = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', x, c.shape) });
  const refMs = performance.now() - t0;
  const refs = new Map<string, { ref: Float32Array; refDims: number[] }>();
  for (const name of session.outputNames) {
    const t = result[name];
    const refDims = [...t.dims];
    const data = (await t.getData()) as Float32Array;
    refs.set(name, { refDims, ref: refDims.length === 4 ? nchwToNhwc(data, refDims) : data.slice() });
    t.dispose();
  }
  await session.release();

  const ctx = new KernelContext(device);
  const imported = importOnnx(bytes, c.url);
  const graph = Graph.create(ctx, imported.spec);
  const input = Tensor.fromArray(ctx, nchwToNhwc(x, c.shape), [n, h, w, ch], 'x');
  const t1 = performance.now();
  const ys = graph.run({ [imported.spec.inputs[0]]: input });
  const outputs: OutputPair[] = [];
  for (const name of imported.spec.outputs) {
    const y = ys[name];
    outputs.push({ name, ours: await y.read(), oursShape: [...y.shape], ...refs.get(name)! });
  }
  const oursMs = performance.now() - t1;
  for (const t of [input, ...Object.values(ys)]) t.dispose();
  const { ours, oursShape, ref, refDims } = outputs[0];
  const nodes = graph.spec.nodes.length;
  graph.dispose();
  const { liveBuffers } = ctx.pool.stats();
  ctx.dispose();
  return {
    ours,
    oursShape,
    ref,
    refDims,
    outputs,
    refMs,
    oursMs,
    nodes,
    importedNodes: imported.spec.nodes.length,
    liveBuffers,
  };
}
