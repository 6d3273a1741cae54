// Page half of loader.test.ts: a weights directory held in memory, loaded and run on WebGPU, and
// the TF.js reference (CPU backend) on the same safetensors bytes, in the same page.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { KernelContext, Tensor, type Shape4 } from '@avatarme/kernels';
import { SafetensorsFile } from '@avatarme/nets';
import { pix2pixhdTfjs } from '@avatarme/nets/pix2pixhd/reference-tfjs.ts';
import { loadReflectanceNetworks } from './loader.ts';
import type { Pix2PixHDEntry } from './manifest.ts';
import { memoryWeightSource } from './source.ts';

export interface ReflectanceCase {
  files: Record<string, Uint8Array>;
  albedo: Float32Array;
  normals: Float32Array;
  shape: Shape4;
}

/** Loads a weights directory held in memory and runs diffuseNormals, ours and the TF.js reference. */
export async function runReflectance(device: GPUDevice, c: ReflectanceCase) {
  const ctx = new KernelContext(device);
  const source = memoryWeightSource('mem', c.files);
  const loaded: string[] = [];
  const nets = await loadReflectanceNetworks(ctx, source, { onProgress: (e) => loaded.push(e.map) });
  const net = nets.networks.diffuseNormals!;
  const albedo = Tensor.fromArray(ctx, c.albedo, c.shape, 'albedo');
  const normals = Tensor.fromArray(ctx, c.normals, c.shape, 'normals');
  const out = net.run({ diffuseAlbedo: albedo, shapeNormals: normals });
  const data = await out.read();
  for (const t of [albedo, normals, out]) t.dispose();
  nets.dispose();
  const { liveBuffers } = ctx.pool.stats();
  ctx.dispose();

  if (tf.getBackend() !== 'cpu') await tf.setBackend('cpu');
  const file = SafetensorsFile.parse(c.files[net.entry.file], net.entry.file);
  const param = (key: string) => tf.tensor(file.float32(key), file.info(key).shape);
  const ref = tf.tidy(() => {
    const x = tf.concat([tf.tensor4d(c.albedo, c.shape), tf.tensor4d(c.normals, c.shape)], 3);
    const { architecture } = net.entry as Pix2PixHDEntry;
    const y = pix2pixhdTfjs(architecture, param, tf.div(tf.sub(x, 0.5), 0.5) as tf.Tensor4D);
    return tf.div(tf.add(y, 1), 2);
  });
  const refData = (await ref.data()) as Float32Array;
  ref.dispose();
  return { data, refData, loaded, liveBuffers, manifest: nets.manifest };
}

export async function loadReflectanceError(device: GPUDevice, c: { files: Record<string, Uint8Array> }) {
  const ctx = new KernelContext(device);
  try {
    await loadReflectanceNetworks(ctx, {
      location: 'w',
      read: async (f) => {
        if (!c.files[f]) throw new Error(`w/${f}: no such file`);
        return c.files[f];
      },
    });
    return 'loaded';
  } catch (e) {
    return (e as Error).message;
  } finally {
    ctx.dispose();
  }
}
