// TF.js's WebGPU backend in the benchmark page (benchmarks only; tests use the CPU/WASM backends).
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-webgpu';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { timeRuns, type TimingRequest, type TimingResult } from './timing.ts';

export { tf };

let ready: Promise<WebGPUBackend> | undefined;

/** Switches TF.js to its WebGPU backend (its own GPUDevice on the same adapter). */
export function tfWebGpu(): Promise<WebGPUBackend> {
  ready ??= (async () => {
    if (!(await tf.setBackend('webgpu'))) throw new Error('bench: TF.js WebGPU backend did not initialise');
    await tf.ready();
    return tf.backend() as WebGPUBackend;
  })();
  return ready;
}

/** Submits what TF.js has recorded and waits for its queue: the dataSync-equivalent without a read. */
export async function tfFinish(backend: WebGPUBackend): Promise<void> {
  backend.endComputePassEncoder();
  backend.submitQueue();
  await backend.queue.onSubmittedWorkDone();
}

/**
 * Times a TF.js WebGPU op; its output is freed after each run. TF.js has its own GPUDevice, outside
 * the harness's error scopes, so a validation error there (which would make a run look instant)
 * is caught here.
 */
export async function timeTf(req: TimingRequest, op: () => tf.Tensor): Promise<TimingResult> {
  const backend = await tfWebGpu();
  backend.device.pushErrorScope('validation');
  const result = await timeRuns(req, async () => {
    const y = op();
    await tfFinish(backend);
    y.dispose();
  });
  const error = await backend.device.popErrorScope();
  if (error) throw new Error(`bench: TF.js WebGPU validation error: ${error.message}`);
  return result;
}
