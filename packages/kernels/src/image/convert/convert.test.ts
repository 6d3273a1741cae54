import { describe, expect, it } from 'vitest';
import { compareArrays, randomArray, rng, useGpuPage } from '@avatarme/testing';
import type { Shape4 } from '../../core/tensor.ts';
import { rgba8ToTensorReference, tensorToRgba8Reference } from './reference.ts';

const gpu = useGpuPage();
const page = gpu.module<typeof import('./convert.gpu.ts')>(new URL('./convert.gpu.ts', import.meta.url));

function randomRgba(pixels: number, seed: number): Uint8ClampedArray {
  const r = rng(seed);
  const out = new Uint8ClampedArray(pixels * 4);
  for (let i = 0; i < out.length; i++) out[i] = Math.floor(r() * 256);
  return out;
}

// u8 → f32: one multiply and one add in f32 (possibly fused on the GPU): at most 1 ulp apart from the
// unfused reference, i.e. below 1e-7 relative; 2e-7 relative + 1e-7 absolute allows that and nothing else.
const FLOAT_TOL = { atol: 1e-7, rtol: 2e-7 };

describe('rgba8ToTensor', () => {
  for (const channels of [3, 4] as const)
    it(`${channels} channels, default scale 1/255, odd 7×5 image; the pad lane is zero`, async () => {
      const [width, height] = [7, 5];
      const rgba = randomRgba(width * height, channels);
      const got = await page.runRgba8ToTensor({ rgba, width, height, channels });
      expect(got.shape).toEqual([1, height, width, channels]);
      const ref = rgba8ToTensorReference(rgba, channels, [1 / 255, 1 / 255, 1 / 255, 1 / 255], [0, 0, 0, 0]);
      const cmp = compareArrays(got.data, ref, FLOAT_TOL);
      expect(cmp.ok, cmp.message).toBe(true);
      if (channels === 3) for (let p = 0; p < width * height; p++) expect(got.raw[p * 4 + 3]).toBe(0);
      expect(got.liveBuffers).toBe(0);
    });

  it('per-channel scale and bias (mean/std normalisation)', async () => {
    const [width, height] = [3, 4];
    const rgba = randomRgba(width * height, 9);
    const scale = [1 / (255 * 0.229), 1 / (255 * 0.224), 1 / (255 * 0.225)];
    const bias = [-0.485 / 0.229, -0.456 / 0.224, -0.406 / 0.225];
    const got = await page.runRgba8ToTensor({
      rgba,
      width,
      height,
      scale,
      bias,
    });
    const cmp = compareArrays(got.data, rgba8ToTensorReference(rgba, 3, scale, bias), FLOAT_TOL);
    expect(cmp.ok, cmp.message).toBe(true);
  });

  it('rejects a byte count that does not match the size', async () => {
    await expect(
      page.runRgba8ToTensor({ rgba: new Uint8ClampedArray(10), width: 2, height: 2 }),
    ).rejects.toThrow(/rgba8ToTensor: 10 bytes do not fill 2×2 RGBA8 pixels \(16\)/);
  });
});

describe('tensorToRgba8 (u8 results must be exact)', () => {
  for (const channels of [1, 3, 4] as const)
    it(`${channels} channel(s), values beyond [0, 1] clamp, scale 255`, async () => {
      const shape: Shape4 = [1, 5, 9, channels];
      const x = randomArray(5 * 9 * channels, 20 + channels, -0.2, 1.2);
      const got = await page.runTensorToRgba8({ x, shape });
      const ref = tensorToRgba8Reference(x, channels, 255, 0);
      const cmp = compareArrays(got.rgba, ref, { atol: 0 });
      expect(cmp.ok, cmp.message).toBe(true);
      expect(got.liveBuffers).toBe(0);
    });

  it('scale and bias map [-1, 1] to [0, 255]; batch of 2 images back to back', async () => {
    const shape: Shape4 = [2, 3, 4, 3];
    const x = randomArray(2 * 3 * 4 * 3, 31);
    const got = await page.runTensorToRgba8({
      x,
      shape,
      scale: 127.5,
      bias: 127.5,
    });
    expect(compareArrays(got.rgba, tensorToRgba8Reference(x, 3, 127.5, 127.5), { atol: 0 }).ok).toBe(true);
  });

  it('u8 → tensor → u8 reproduces every byte (all 256 values, odd size)', async () => {
    const [width, height] = [17, 15]; // 255 pixels × 4 channels cover every value
    const rgba = new Uint8ClampedArray(width * height * 4);
    for (let i = 0; i < rgba.length; i++) rgba[i] = (i * 7) % 256;
    const back = await page.runRoundTrip({ rgba, width, height });
    expect(Array.from(back)).toEqual(Array.from(rgba));
  });

  it('rejects 2 channels, naming the op and shape', async () => {
    await expect(page.runTensorToRgba8({ x: new Float32Array(8), shape: [1, 2, 2, 2] })).rejects.toThrow(
      /tensorToRgba8: input \[1, 2, 2, 2\] must have 1, 3 or 4 channels/,
    );
  });
});
