import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { convTranspose2dReference } from '@avatarme/kernels/conv/reference.ts';
import { compareArrays, randomArray, useGpuPage } from '@avatarme/testing';
import { randomPix2PixHDSafetensors } from './random-weights.ts';
import type { Pix2PixHDOptions } from './architecture.ts';
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
  it('GlobalGenerator, instance norm, 32×32×3', async () => {
    const { ours, cmp, rms } = await parity({ ...SMALL, norm: 'instance' }, [1, 32, 32, 3], 11);
    expect(ours.shape).toEqual([1, 32, 32, 3]);
    console.log(
      `global/instance: ${cmp.message}; output rms ${rms.toFixed(3)}; peak ${ours.peakActivationBytes} B`,
    );
  });

  it('GlobalGenerator, batch norm (folded into the convolutions), 32×32, 6 → 1 channels', async () => {
    const { ours, cmp } = await parity(
      { ...SMALL, norm: 'batch', input_nc: 6, output_nc: 1 },
      [1, 32, 32, 6],
      21,
    );
    expect(ours.shape).toEqual([1, 32, 32, 1]);
    console.log(`global/batch: ${cmp.message}`);
  });

  it('LocalEnhancer, instance norm, 32×32×3', async () => {
    const { ours, cmp } = await parity({ ...SMALL, netG: 'local', n_blocks_local: 2 }, [1, 32, 32, 3], 31);
    expect(ours.shape).toEqual([1, 32, 32, 3]);
    console.log(`local/instance: ${cmp.message}`);
  });

  it('LocalEnhancer, batch norm, two local levels, 32×32×6', async () => {
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
    const { cmp } = await parity(opts, [1, 32, 32, 6], 41);
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
