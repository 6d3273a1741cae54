// Page half of onnx.test.ts: one ONNX file through importOnnx + the executor and through
// onnxruntime-web's WASM backend, on the same input.
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
  ort.env.wasm.numThreads = 1;
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
  const t0 = performance.now();
  const result = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', x, c.shape) });
  const refMs = performance.now() - t0;
  const refTensor = result[session.outputNames[0]];
  const refDims = [...refTensor.dims];
  const ref = nchwToNhwc(refTensor.data as Float32Array, refDims);
  await session.release();

  const ctx = new KernelContext(device);
  const imported = importOnnx(bytes, c.url);
  const graph = Graph.create(ctx, imported.spec);
  const input = Tensor.fromArray(ctx, nchwToNhwc(x, c.shape), [n, h, w, ch], 'x');
  const t1 = performance.now();
  const y = graph.run({ [imported.spec.inputs[0]]: input })[imported.spec.outputs[0]];
  const ours = await y.read();
  const oursMs = performance.now() - t1;
  const oursShape = [...y.shape];
  for (const t of [input, y]) t.dispose();
  const nodes = graph.spec.nodes.length;
  graph.dispose();
  const { liveBuffers } = ctx.pool.stats();
  ctx.dispose();
  return {
    ours,
    oursShape,
    ref,
    refDims,
    refMs,
    oursMs,
    nodes,
    importedNodes: imported.spec.nodes.length,
    liveBuffers,
  };
}
