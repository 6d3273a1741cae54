/// <reference lib="webworker" />
// Runs the reconstruction off the main thread, on the worker's own GPUDevice, so the page stays
// responsive while SwiftShader or a GPU grinds through the networks.
import { requestKernelDevice } from '@avatarme/kernels';
import { reconstruct } from '@avatarme/pipeline/reconstruct/reconstruct.ts';
import type { WorkerReply, WorkerRequest } from './protocol.ts';

declare const self: DedicatedWorkerGlobalScope;

let device: Promise<GPUDevice> | undefined;
let running: AbortController | undefined;

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

/**
 * The site's models/ folder. The worker sits one folder below the site root both in dev (src/) and
 * built (assets/), so this holds under any base path. A variable, not a literal: Vite would otherwise
 * try to bundle `new URL('literal', import.meta.url)` as one asset file.
 */
const MODELS_DIR = '../models/';
const modelsUrl = (sub: string) => new URL(MODELS_DIR + sub, import.meta.url).href;

self.onmessage = async (e: MessageEvent<WorkerRequest>) => {
  const msg = e.data;
  if (msg.type === 'cancel') {
    running?.abort();
    return;
  }
  running?.abort();
  const controller = new AbortController();
  running = controller;
  try {
    device ??= requestKernelDevice({ label: 'avatarme demo worker' });
    const result = await reconstruct(await device, msg.photo, {
      uvSize: msg.uvSize,
      upscale: msg.upscale,
      signal: controller.signal,
      assets: {
        humanModels: modelsUrl('human/'),
        upscalerModels: modelsUrl(''),
        headModel: modelsUrl('ict-head/'),
      },
      onProgress: (progress) => post({ type: 'progress', progress }),
      faceModel: msg.faceModel?.length ? folderReader(msg.faceModel) : undefined,
      name: msg.name,
    });
    post({ type: 'result', result });
  } catch (err) {
    const error = err as Error;
    post({ type: 'error', message: error.message.split('\n')[0], noFace: error.name === 'NoFaceError' });
  } finally {
    if (running === controller) running = undefined;
  }
};
