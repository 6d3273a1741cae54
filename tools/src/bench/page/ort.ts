// ONNX Runtime Web in the benchmark page: its WebGPU execution provider (its own GPUDevice on the
// same adapter) and its WASM backend.
import * as ort from 'onnxruntime-web';
import { timeRuns, type TimingRequest, type TimingResult } from './timing.ts';

export { ort };

export type OrtProvider = 'webgpu' | 'wasm';

/** A session on `bytes`; WebGPU outputs stay on the GPU, as ours do in the timed runs. */
export async function ortSession(bytes: Uint8Array, provider: OrtProvider): Promise<ort.InferenceSession> {
  ort.env.wasm.wasmPaths = '/node_modules/onnxruntime-web/dist/';
  // Without cross-origin isolation the page has no SharedArrayBuffer, so no WASM threads.
  ort.env.wasm.numThreads = 1;
  return ort.InferenceSession.create(bytes, {
    executionProviders: [provider],
    ...(provider === 'webgpu' ? { preferredOutputLocation: 'gpu-buffer' as const } : {}),
  });
}

/**
 * Times session.run on CPU-side inputs. With WebGPU the outputs stay in GPU buffers and each run
 * waits for ORT's queue, so a run is upload + compute to completion, like ours (which records from an
 * uploaded input); with WASM run() returns when the result is computed.
 */
export async function timeOrt(
  req: TimingRequest,
  session: ort.InferenceSession,
  feeds: Record<string, ort.Tensor>,
  provider: OrtProvider,
): Promise<TimingResult> {
  const device = provider === 'webgpu' ? await ort.env.webgpu.device : undefined;
  return timeRuns(req, async () => {
    const out = await session.run(feeds);
    if (device) await device.queue.onSubmittedWorkDone();
    for (const t of Object.values(out)) t.dispose();
  });
}
