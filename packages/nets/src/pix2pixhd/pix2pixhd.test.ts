import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { convTranspose2dReference } from '@avatarme/kernels/conv/reference.ts';
import { compareArrays, randomArray, useGpuPage } from '@avatarme/testing';
import { randomPix2PixHDSafetensors } from './random-weights.ts';
import type { Pix2PixHDOptions } from './architecture.ts';
import {
  AVATARME_ARCHITECTURE,
  AVATARME_NETWORKS,
  DEFAULT_FILES,
  NETWORK_INPUTS,
  REFLECTANCE_MAPS,
} from './avatarme.ts';
import {
  MANIFEST_FILE,
  MANIFEST_FORMAT,
  manifestJson,
  parseManifest,
  type NetworkEntry,
} from './manifest.ts';
import type { ParityCase } from './pix2pixhd.gpu.ts';

const gpu = useGpuPage();
const page = gpu.module<typeof import('./pix2pixhd.gpu.ts')>(new URL('./pix2pixhd.gpu.ts', import.meta.url));

// The bound. Both sides accumulate in f32 in different orders through ~10 layers whose
// normalisations rescale activations to O(1); the observed error is ~1e-6..1e-5, so 1e-3 leaves room
// while a wrong index, pad or key gives O(0.1) differences in a tanh output.
const ATOL = 1e-3;

async function parity(
  options: Partial<Pix2PixHDOptions>,
  shape: [number, number, number, number],
  seed: number,
) {
  const weights = randomPix2PixHDSafetensors(options, { seed, runningStats: 'random' });
  const c: ParityCase = {
    weights,
    options,
    x: randomArray(
      shape.reduce((a, b) => a * b),
      seed + 1,
    ),
    shape,
  };
  const ours = await page.runGenerator(c);
  const ref = await page.runReference(c);
  expect(ours.shape).toEqual(ref.shape);
  // The comparison means something only when the reference output is spread out inside (-1, 1).
  let sq = 0;
  for (const v of ref.data) sq += v * v;
  const rms = Math.sqrt(sq / ref.data.length);
  expect(rms).toBeGreaterThan(0.02);
  expect(Math.max(...ref.data.map(Math.abs))).toBeLessThanOrEqual(1);
  const cmp = compareArrays(ours.data, ref.data, { atol: ATOL });
  expect(cmp.ok, cmp.message).toBe(true);
  expect(ours.liveBuffers).toBe(0);
  return { ours, cmp, rms };
}

const SMALL = { ngf: 8, n_downsampling: 2, n_blocks: 2 } as const;

describe('pix2pixHD generators vs TF.js (CPU backend), same random weights', () => {
  it('GlobalGenerator, instance norm, 64×64×3', async () => {
    const { ours, cmp, rms } = await parity({ ...SMALL, norm: 'instance' }, [1, 64, 64, 3], 11);
    expect(ours.shape).toEqual([1, 64, 64, 3]);
    console.log(
      `global/instance: ${cmp.message}; output rms ${rms.toFixed(3)}; peak ${ours.peakActivationBytes} B`,
    );
  });

  it('GlobalGenerator, batch norm (folded into the convolutions), 64×64, 6 → 1 channels', async () => {
    const { ours, cmp } = await parity(
      { ...SMALL, norm: 'batch', input_nc: 6, output_nc: 1 },
      [1, 64, 64, 6],
      21,
    );
    expect(ours.shape).toEqual([1, 64, 64, 1]);
    console.log(`global/batch: ${cmp.message}`);
  });

  it('LocalEnhancer, instance norm, 64×64×3', async () => {
    const { ours, cmp } = await parity({ ...SMALL, netG: 'local', n_blocks_local: 2 }, [1, 64, 64, 3], 31);
    expect(ours.shape).toEqual([1, 64, 64, 3]);
    console.log(`local/instance: ${cmp.message}`);
  });

  it('LocalEnhancer, batch norm, two local levels, 64×64×6', async () => {
    const opts = {
      ngf: 4,
      n_downsampling: 1,
      n_blocks: 1,
      netG: 'local',
      n_local_enhancers: 2,
      n_blocks_local: 1,
      norm: 'batch',
      input_nc: 6,
    } as const;
    const { cmp } = await parity(opts, [1, 64, 64, 6], 41);
    console.log(`local×2/batch: ${cmp.message}`);
  });

  it('rejects an input whose size is not a multiple of 2^n_downsampling, naming the file', async () => {
    const options = { ...SMALL, norm: 'instance' } as const;
    const c: ParityCase = {
      weights: randomPix2PixHDSafetensors(options),
      options,
      x: new Float32Array(1 * 30 * 32 * 3),
      shape: [1, 30, 32, 3],
    };
    await expect(page.runGenerator(c)).rejects.toThrow(
      /pix2pixHD random.safetensors: input \[1, 30, 32, 3\] must have 3 channels and height and width multiples of 4/,
    );
  });
});

describe('the TF.js reference itself', () => {
  it('tf.conv2dTranspose with padding 1 is PyTorch ConvTranspose2d(k3, s2, p1, output_padding 1)', async () => {
    // Compared with the scatter definition y[i·s − p + k] += x[i]·w[k] (the kernels' CPU reference).
    await tf.setBackend('cpu');
    const [h, w, cin, cout] = [5, 4, 3, 2];
    const x = randomArray(h * w * cin, 1);
    const filter = randomArray(9 * cout * cin, 2); // [kh, kw, cout, cin]
    const ref = convTranspose2dReference(x, [1, h, w, cin], filter, [3, 3, cout, cin], {
      stride: [2, 2],
      padding: [1, 1, 1, 1],
      outputPadding: [1, 1],
    });
    const y = tf.conv2dTranspose(
      tf.tensor4d(x, [1, h, w, cin]),
      tf.tensor4d(filter, [3, 3, cout, cin]),
      [1, 2 * h, 2 * w, cout],
      2,
      1,
    );
    expect(ref.shape).toEqual([1, 2 * h, 2 * w, cout]);
    const cmp = compareArrays(y.dataSync(), ref.data, { atol: 1e-5 });
    expect(cmp.ok, cmp.message).toBe(true);
  });
});

describe('AvatarMe weights directory (as random-weights writes it) → loadReflectanceNetworks', () => {
  /** The directory `avatarme random-weights --ngf 4 --n-downsampling 1 --n-blocks 1 --seed 7` writes. */
  function writeDir(): Record<string, Uint8Array> {
    const architecture = { ...AVATARME_ARCHITECTURE, ngf: 4, n_downsampling: 1, n_blocks: 1 };
    const files: Record<string, Uint8Array> = {};
    const entries: NetworkEntry[] = [];
    for (const [i, map] of REFLECTANCE_MAPS.entries()) {
      const { inputs, output_nc } = AVATARME_NETWORKS[map];
      const input_nc = inputs.reduce((c, k) => c + NETWORK_INPUTS[k], 0);
      files[DEFAULT_FILES[map]] = randomPix2PixHDSafetensors(
        { ...architecture, input_nc, output_nc },
        { seed: 7 + i },
      );
      const json = {
        format: MANIFEST_FORMAT,
        version: 1,
        networks: { [map]: { file: DEFAULT_FILES[map], architecture } },
      };
      entries.push(parseManifest(json).networks[map]!);
    }
    files[MANIFEST_FILE] = new TextEncoder().encode(JSON.stringify(manifestJson(entries)));
    return files;
  }

  it('loads the four networks and runs diffuseNormals with the manifest normalisation, against TF.js', async () => {
    const files = writeDir();
    expect(Object.keys(files).sort()).toEqual([
      'diffuse_albedo.safetensors',
      'diffuse_normals.safetensors',
      'manifest.json',
      'specular_albedo.safetensors',
      'specular_normals.safetensors',
    ]);
    const shape: [number, number, number, number] = [1, 32, 32, 3];
    const got = await page.runReflectance({
      files,
      albedo: randomArray(32 * 32 * 3, 1, 0, 1),
      normals: randomArray(32 * 32 * 3, 2, 0, 1),
      shape,
    });
    expect(got.loaded).toEqual(['diffuseAlbedo', 'specularAlbedo', 'diffuseNormals', 'specularNormals']);
    // Same bound as above; outputs are mapped to [0, 1], which halves any difference.
    const cmp = compareArrays(got.data, got.refData, { atol: ATOL });
    expect(cmp.ok, cmp.message).toBe(true);
    expect(Math.min(...got.refData)).toBeGreaterThanOrEqual(0);
    expect(got.liveBuffers).toBe(0);
  });

  it('errors name the file: a missing file, and a file that does not fit its manifest entry', async () => {
    const files = writeDir();
    const missing = { ...files };
    delete missing['specular_albedo.safetensors'];
    expect(await page.loadReflectanceError({ files: missing })).toBe(
      'w/specular_albedo.safetensors: no such file',
    );
    const swapped = { ...files, 'diffuse_albedo.safetensors': files['diffuse_normals.safetensors'] };
    expect(await page.loadReflectanceError({ files: swapped })).toMatch(
      /^w\/diffuse_albedo.safetensors: state_dict does not match pix2pixHD global ngf 4, .* 3→3 channels: wrong shape or dtype 1: model.1.weight \[4, 6, 7, 7\] \(expected \[4, 3, 7, 7\]\)$/,
    );
  });
});
