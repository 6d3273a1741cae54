// Page half of onnx-reflectance.test.ts: a weights directory of ONNX files (held in memory) through the
// loader and the tiled reflectance runner on WebGPU, and the same files through onnxruntime-web's WASM
// backend on the whole map, in the same page.
import * as ort from 'onnxruntime-web';
import { KernelContext } from '@avatarme/kernels';
import { REFLECTANCE_MAPS, type ReflectanceMap } from './avatarme.ts';
import { loadReflectanceNetworks } from './loader.ts';
import { MANIFEST_FILE, MANIFEST_FORMAT } from './manifest.ts';
import { runReflectanceNetworks } from './run.ts';
import { memoryWeightSource } from './source.ts';

const NET3 = '/assets/onnx/reflectance-tiny-3to3.onnx';
const NET6 = '/assets/onnx/reflectance-tiny-6to3.onnx';

/** The manifest of the test directory: the 3-channel network for the albedos, the 6-channel one for the normals. */
export const ONNX_MANIFEST = {
  format: MANIFEST_FORMAT,
  version: 1,
  networks: {
    diffuseAlbedo: { file: 'diffuse_albedo.onnx' },
    specularAlbedo: { file: 'specular_albedo.onnx' },
    diffuseNormals: { file: 'diffuse_normals.onnx' },
    specularNormals: { file: 'specular_normals.onnx' },
  },
};

const fetchBytes = async (url: string) => new Uint8Array(await (await fetch(url)).arrayBuffer());

/** The directory's files: manifest.json (edited by `manifest` when given) and the four .onnx files. */
export async function onnxWeightFiles(
  manifest: unknown = ONNX_MANIFEST,
): Promise<Record<string, Uint8Array>> {
  const [net3, net6] = await Promise.all([fetchBytes(NET3), fetchBytes(NET6)]);
  return {
    [MANIFEST_FILE]: new TextEncoder().encode(JSON.stringify(manifest)),
    'diffuse_albedo.onnx': net3,
    'specular_albedo.onnx': net3,
    'diffuse_normals.onnx': net6,
    'specular_normals.onnx': net6,
  };
}

export interface OnnxReflectanceCase {
  size: number;
  tile: number;
  overlap: number;
  /** UV texture in [0, 1] and shape normals in [-1, 1], size² × 3 (dense HWC). */
  texture: Float32Array;
  shapeNormals: Float32Array;
}

/** Dense HWC [0, 1] maps (`channels` each) → the NCHW network input (x − 0.5) / 0.5, channels joined in order. */
function networkInput(maps: Float32Array[], pixels: number): Float32Array {
  const c = maps.length * 3;
  const out = new Float32Array(c * pixels);
  maps.forEach((m, i) => {
    for (let p = 0; p < pixels; p++)
      for (let k = 0; k < 3; k++) out[(i * 3 + k) * pixels + p] = (m[p * 3 + k] - 0.5) / 0.5;
  });
  return out;
}

/** NCHW network output on [-1, 1] → dense HWC [0, 1]. */
function storedOutput(y: Float32Array, channels: number, pixels: number): Float32Array {
  const out = new Float32Array(y.length);
  for (let k = 0; k < channels; k++)
    for (let p = 0; p < pixels; p++) out[p * channels + k] = (y[k * pixels + p] + 1) / 2;
  return out;
}

/**
 * Ours: loadReflectanceNetworks + runReflectanceNetworks (tiled windows). Reference: onnxruntime-web
 * WASM on the whole map, chained as AvatarMe infers (each later network fed the reference's own
 * diffuse albedo), with the manifest's default normalisation and output range written out here.
 */
export async function onnxReflectanceVsOrt(device: GPUDevice, c: OnnxReflectanceCase) {
  const files = await onnxWeightFiles();
  const ctx = new KernelContext(device);
  const nets = await loadReflectanceNetworks(ctx, memoryWeightSource('w', files));
  const t0 = performance.now();
  const ours = await runReflectanceNetworks(
    ctx,
    nets,
    { texture: c.texture, shapeNormals: c.shapeNormals, size: c.size },
    { tile: c.tile, overlap: c.overlap },
    () => {},
  );
  const oursMs = performance.now() - t0;
  nets.dispose();
  const { liveBuffers } = ctx.pool.stats();
  ctx.dispose();

  ort.env.wasm.wasmPaths = '/node_modules/onnxruntime-web/dist/';
  // Without cross-origin isolation the page has no SharedArrayBuffer, so no WASM threads.
  ort.env.wasm.numThreads = 1;
  const pixels = c.size * c.size;
  const sessions = new Map<Uint8Array, ort.InferenceSession>();
  const runOrt = async (file: string, x: Float32Array, channels: number) => {
    const bytes = files[file];
    if (!sessions.has(bytes))
      sessions.set(bytes, await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] }));
    const session = sessions.get(bytes)!;
    const result = await session.run({
      x: new ort.Tensor('float32', x, [1, channels, c.size, c.size]),
    });
    const y = result.y;
    const dims = [...y.dims];
    const data = storedOutput((await y.getData()) as Float32Array, dims[1], pixels);
    y.dispose();
    return { data, dims };
  };
  const encodedNormals = c.shapeNormals.map((v) => v * 0.5 + 0.5);
  const ref: Partial<Record<ReflectanceMap, { data: Float32Array; dims: number[] }>> = {};
  ref.diffuseAlbedo = await runOrt('diffuse_albedo.onnx', networkInput([c.texture], pixels), 3);
  const albedo = ref.diffuseAlbedo.data;
  ref.specularAlbedo = await runOrt('specular_albedo.onnx', networkInput([albedo], pixels), 3);
  for (const map of ['diffuseNormals', 'specularNormals'] as const)
    ref[map] = await runOrt(
      ONNX_MANIFEST.networks[map].file,
      networkInput([albedo, encodedNormals], pixels),
      6,
    );
  for (const s of sessions.values()) await s.release();

  return {
    maps: REFLECTANCE_MAPS.map((map) => ({
      map,
      ours: ours.maps[map]!.data,
      channels: ours.maps[map]!.channels,
      ref: ref[map]!.data,
      refDims: ref[map]!.dims,
    })),
    plans: ours.plans,
    oursMs,
    liveBuffers,
  };
}

/**
 * loadReflectanceNetworks on the ONNX weights directory with another manifest, a file dropped or files
 * replaced; the error message (or 'loaded') and the buffers left alive.
 */
export async function onnxLoadError(
  device: GPUDevice,
  c: { manifest?: unknown; drop?: string; files?: Record<string, Uint8Array> },
) {
  const files = { ...(await onnxWeightFiles(c.manifest)), ...c.files };
  if (c.drop) delete files[c.drop];
  const ctx = new KernelContext(device);
  try {
    (await loadReflectanceNetworks(ctx, memoryWeightSource('w', files))).dispose();
    return { message: 'loaded', liveBuffers: ctx.pool.stats().liveBuffers };
  } catch (e) {
    return { message: (e as Error).message, liveBuffers: ctx.pool.stats().liveBuffers };
  } finally {
    ctx.dispose();
  }
}
