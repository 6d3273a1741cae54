/// <reference lib="webworker" />
// Runs the reconstruction off the main thread, on the worker's own GPUDevice, so the page stays
// responsive while SwiftShader or a GPU grinds through the networks. One worker serves the tab: the
// device and the model files' bytes are kept between runs.
import { requestKernelDevice } from '@avatarme/kernels';
import { reconstruct } from '@avatarme/pipeline/reconstruct/reconstruct.ts';
import type { WorkerReply, WorkerRequest } from './protocol.ts';

declare const self: DedicatedWorkerGlobalScope;

let device: Promise<GPUDevice> | undefined;
let running: AbortController | undefined;
let modelBase = '';

/**
 * The model files (about 28 MB) are fetched once per tab: the pipeline asks for them through fetch on
 * every run, and a response kept here is handed out as a clone instead of going back to the network
 * (or to an HTTP cache the server may not allow).
 */
const modelResponses = new Map<string, Promise<Response>>();
const networkFetch = self.fetch.bind(self);
self.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
  const url = input instanceof Request ? input.url : String(input);
  if (!modelBase || !url.startsWith(modelBase) || (init?.method ?? 'GET') !== 'GET')
    return networkFetch(input, init);
  let kept = modelResponses.get(url);
  if (!kept) {
    // Fetched without the run's signal: a cancelled run must not poison the copy the next run reads.
    kept = networkFetch(url).then((r) => {
      if (!r.ok) modelResponses.delete(url);
      return r;
    });
    kept.catch(() => modelResponses.delete(url));
    modelResponses.set(url, kept);
  }
  return kept.then((r) => r.clone());
};

/** Reads a picked folder's files by name, as the model loader asks for them. */
function folderReader(files: File[]): (name: string) => Promise<ArrayBuffer> {
  const byName = new Map(files.map((f) => [f.name, f]));
  return async (name) => {
    const file = byName.get(name);
    if (!file) throw new Error(`head model: ${name} is missing from the chosen folder`);
    return file.arrayBuffer();
  };
}

const post = (m: WorkerReply, transfer: Transferable[] = []) => self.postMessage(m, transfer);

self.onmessage = async (e: MessageEvent<WorkerRequest>) => {
  const msg = e.data;
  if (msg.type === 'cancel') {
    running?.abort();
    return;
  }
  running?.abort();
  const controller = new AbortController();
  running = controller;
  modelBase = msg.modelBaseUrl;
  try {
    device ??= requestKernelDevice({ label: 'avatarme demo worker' });
    const result = await reconstruct(await device, msg.photo, {
      uvSize: msg.uvSize,
      upscale: msg.upscale,
      signal: controller.signal,
      modelBaseUrl: msg.modelBaseUrl,
      onProgress: (progress) => post({ type: 'progress', progress }),
      faceModel: msg.faceModel?.length ? folderReader(msg.faceModel) : undefined,
      name: msg.name,
    });
    post({ type: 'result', result });
  } catch (err) {
    const error = err as Error;
    if (controller.signal.aborted) post({ type: 'cancelled' });
    else post({ type: 'error', message: error.message.split('\n')[0], noFace: error.name === 'NoFaceError' });
  } finally {
    if (running === controller) running = undefined;
  }
};
