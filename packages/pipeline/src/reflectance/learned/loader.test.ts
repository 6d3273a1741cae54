import { describe, expect, it } from 'vitest';
import { randomPix2PixHDSafetensors } from '@avatarme/nets/pix2pixhd/random-weights.ts';
import { compareArrays, randomArray, useGpuPage } from '@avatarme/testing';
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

const gpu = useGpuPage();
const page = gpu.module<typeof import('./loader.gpu.ts')>(new URL('./loader.gpu.ts', import.meta.url));

// Both sides accumulate in f32 in different orders through ~10 layers whose normalisations rescale
// activations to O(1); the observed error is ~1e-6..1e-5, so 1e-3 leaves room while a wrong index,
// pad, key or input normalisation gives O(0.1) differences.
const ATOL = 1e-3;

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
