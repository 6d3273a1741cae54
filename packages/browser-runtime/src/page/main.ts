/**
 * The page half of the harness: imports a module named by Node, calls one of its exports with a
 * GPUDevice and the decoded arguments, and turns every GPU error, WGSL compile error or device loss
 * into a rejected promise with the message.
 */
import {
  createProgramsAhead,
  pipelineStats,
  programSources,
  requestKernelDevice,
  type ProgramSource,
} from '@avatarme/kernels';
import { decodeValue, encodeValue } from '../transfer.ts';

let devicePromise: Promise<GPUDevice> | undefined;
let lostMessage: string | undefined;
const uncaptured: string[] = [];

function device(): Promise<GPUDevice> {
  devicePromise ??= requestKernelDevice().then((d) => {
    d.lost.then((info) => {
      lostMessage = `GPU device lost (${info.reason}): ${info.message}`;
    });
    d.addEventListener('uncapturederror', (e) =>
      uncaptured.push((e as GPUUncapturedErrorEvent).error.message),
    );
    return d;
  });
  return devicePromise;
}

/**
 * Where this page's blobs live: its own server, or (a page of the test runner's shared browser) the
 * server of the test file that opened it, named by the `store` query parameter.
 */
const STORE = `${new URLSearchParams(location.search).get('store') ?? ''}/__harness/blob/`;

let putCount = 0;
async function putBytes(bytes: Uint8Array): Promise<string> {
  const id = `p${Date.now().toString(36)}_${putCount++}`;
  // A Blob body, not the typed array itself: Chromium uploads a Blob from its blob registry, an
  // ArrayBufferView by copying it through the renderer (measured 10–15× slower for 8 MB of outputs).
  const res = await fetch(`${STORE}${id}`, { method: 'PUT', body: new Blob([bytes as BlobPart]) });
  if (!res.ok) throw new Error(`harness: PUT blob failed (${res.status})`);
  return id;
}

async function getBytes(id: string): Promise<Uint8Array> {
  const res = await fetch(`${STORE}${id}`);
  if (!res.ok) throw new Error(`harness: GET blob ${id} failed (${res.status}): ${await res.text()}`);
  return new Uint8Array(await res.arrayBuffer());
}

async function adapterInfo() {
  const d = await device();
  const info = d.adapterInfo;
  return {
    vendor: info.vendor,
    architecture: info.architecture,
    device: info.device,
    description: info.description,
    userAgent: navigator.userAgent,
    features: [...d.features],
    maxStorageBufferBindingSize: d.limits.maxStorageBufferBindingSize,
    maxBufferSize: d.limits.maxBufferSize,
  };
}

/** A built page's modules by path (bundle.ts); the dev server imports the path itself. */
const builtModules = (globalThis as { __harnessModules?: Record<string, () => Promise<unknown>> })
  .__harnessModules;

function importModule(modulePath: string): Promise<Record<string, unknown>> {
  if (!builtModules) return import(/* @vite-ignore */ modulePath);
  const load = builtModules[modulePath];
  if (!load) throw new Error(`harness: ${modulePath} is not in this built page`);
  return load() as Promise<Record<string, unknown>>;
}

/** Pipelines an earlier run of the same page recorded, created ahead and in parallel. */
async function createAhead(sources: ProgramSource[]) {
  return createProgramsAhead(await device(), sources);
}

async function pipelines() {
  const d = await device();
  return { stats: pipelineStats(d), sources: programSources(d) };
}

async function call(modulePath: string, exportName: string, encodedArgs: unknown): Promise<unknown> {
  const d = await device();
  if (lostMessage) throw new Error(lostMessage);
  const mod = await importModule(modulePath);
  const fn = mod[exportName];
  if (typeof fn !== 'function')
    throw new Error(`harness: ${modulePath} has no exported function ${exportName}`);
  const args = await decodeValue(encodedArgs, getBytes);
  uncaptured.length = 0;
  d.pushErrorScope('internal');
  d.pushErrorScope('out-of-memory');
  d.pushErrorScope('validation');
  let result: unknown;
  let thrown: unknown;
  try {
    const lost = d.lost.then((info) => {
      throw new Error(`GPU device lost (${info.reason}): ${info.message}`);
    });
    result = await Promise.race([fn(d, args), lost]);
  } catch (e) {
    thrown = e;
  }
  const errors = [];
  for (let i = 0; i < 3; i++) {
    const e = await d.popErrorScope();
    if (e) errors.push(e.message);
  }
  errors.push(...uncaptured);
  if (errors.length) throw new Error(`GPU error in ${exportName}: ${errors.join(' | ')}`);
  if (thrown) throw thrown;
  return encodeValue(result, putBytes);
}

(window as unknown as { __harness: unknown }).__harness = { adapterInfo, call, createAhead, pipelines };
document.title = 'ready';
