import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareArrays, randomArray, useGpuPage } from '@avatarme/testing';
import { esrganModel, toPixels } from './registry.ts';

const gpu = useGpuPage();
const page = gpu.module<typeof import('./esrgan.gpu.ts')>(new URL('./esrgan.gpu.ts', import.meta.url));
const PHOTO = new Uint8Array(readFileSync(resolve(import.meta.dirname, '../../../../assets/astronaut.png')));

function parity(
  model: string,
  scale: number,
  pixels: Float32Array,
  height: number,
  width: number,
  extra: { inputScale?: number; noReference?: boolean } = {},
) {
  const args = { model, scale, pixels, height, width, ...extra };
  return page.esrganParity(args, { timeoutMs: 600_000 });
}

/** A crop of the astronaut photo around the face (pixels in [0, 255]). */
function crop(x: number, y: number, width: number, height: number) {
  return page.photoCrop({ bytes: PHOTO, x, y, width, height });
}

// Tolerances, on each model's own output scale.
// RDN (slim, medium, default; output [0, 255]): f32 sums of up to 5,184 products, values up to a few
// hundred; rounding differences between our blocked accumulation and TF.js's are ~1e-4, and the issue
// asks for 1e-3. Any indexing or weight-layout mistake gives errors of whole pixel values.
// RRDN (thick; output [0, 1]): 30 residual dense blocks with 154 convolutions in sequence; each
// reorders f32 sums of up to 1,728 products, and the residual trunk carries those differences to the
// end. Measured worst differences are ~7e-7; 1e-4 on [0, 1] (0.026 of an 8-bit level) leaves room for
// other accumulation orders while a wrong beta or pixel-shuffle order shows up as errors above 1e-2.
const TOL: Record<string, number> = {
  'esrgan-slim': 1e-3,
  'esrgan-medium': 1e-3,
  default: 1e-3,
  'esrgan-thick': 1e-4,
};

// Every model and every scale at least once (with the photo cases below): within a model the scales
// share the trunk and differ only in the upsampling head (one ×2 or ×3 pixel shuffle per stage), so
// one model per scale exercises each head while keeping the suite short on SwiftShader.
const ALL = [
  { model: 'esrgan-slim', scale: 2 },
  { model: 'esrgan-medium', scale: 3 },
  { model: 'esrgan-thick', scale: 8 },
  { model: 'default', scale: 2 },
];

describe('UpscalerJS models on our kernels vs TF.js (WASM) on the same model.json', () => {
  it.each(ALL)('$model ×$scale on seeded noise, odd 5×7 input', async ({ model, scale }) => {
    const info = esrganModel(model, scale);
    // Noise over the model's whole input range.
    const pixels = randomArray(5 * 7 * 3, 11 * scale + model.length, 0, 255);
    const r = await parity(model, scale, pixels, 5, 7);
    expect(r.refShape).toEqual([1, 5 * scale, 7 * scale, 3]);
    const c = compareArrays(r.ours, r.ref, { atol: TOL[model], label: `${model} ×${scale}` });
    console.log(
      `${c.message} (${info.architecture}, TF.js ${r.backend} ${r.refMs.toFixed(0)} ms, ours ${r.oursMs.toFixed(0)} ms)`,
    );
    expect(c.ok, c.message).toBe(true);
    expect(r.liveBuffersAfter).toBe(0);
    expect(r.plannedPeakBytes).toBeLessThan(r.unplannedBytes);
  });

  it.each([
    { model: 'esrgan-medium', scale: 8 },
    { model: 'esrgan-thick', scale: 4 },
  ])('$model ×$scale on a 10×8 crop of a real photo', async ({ model, scale }) => {
    const pixels = await crop(203, 182, 10, 8);
    const r = await parity(model, scale, pixels, 8, 10);
    const c = compareArrays(r.ours, r.ref, { atol: TOL[model], label: `${model} ×${scale} photo` });
    console.log(
      `${c.message}; ours ${r.oursMs.toFixed(0)} ms (${r.dispatches} dispatches in one submission), TF.js ${r.backend} ${r.refMs.toFixed(0)} ms; peak pool ${r.peakPoolBytes} B, planned ${r.plannedPeakBytes} B, without reuse ${r.unplannedBytes} B`,
    );
    expect(c.ok, c.message).toBe(true);
  });
});

describe('value ranges the weights were trained for (reference-facts §3.2)', () => {
  // A super-resolved photo must look like the photo: compared with a nearest-neighbour enlargement,
  // the mean difference is a few 8-bit levels when the input range is right, and tens of levels when
  // the input is fed on the other scale (×255 or ÷255).
  function meanDiffToNearest(
    out: Float32Array,
    pixels: Float32Array,
    h: number,
    w: number,
    s: number,
  ): number {
    let sum = 0;
    for (let y = 0; y < h * s; y++)
      for (let x = 0; x < w * s; x++)
        for (let k = 0; k < 3; k++)
          sum += Math.abs(
            out[(y * w * s + x) * 3 + k] - pixels[(Math.floor(y / s) * w + Math.floor(x / s)) * 3 + k],
          );
    return sum / out.length;
  }
  // One model per documented range: slim and medium share [0, 255], thick takes [0, 1].
  it.each([
    { model: 'esrgan-slim', scale: 2, wrong: 1 / 255 },
    { model: 'esrgan-thick', scale: 2, wrong: 255 },
  ])('$model takes and gives its documented range', async ({ model, scale, wrong }) => {
    const info = esrganModel(model, scale);
    const [h, w] = [12, 12];
    const pixels = await crop(210, 190, w, h);
    const right = await parity(model, scale, pixels, h, w, { noReference: true });
    const other = await parity(model, scale, pixels, h, w, {
      noReference: true,
      inputScale: wrong * (info.inputRange[1] / 255),
    });
    // Output read on the documented scale, without clamping: the raw range must match too.
    const [lo, hi] = info.outputRange;
    const raw = right.ours.map((v) => ((v - lo) * 255) / (hi - lo));
    const dRight = meanDiffToNearest(raw, pixels, h, w, scale);
    const dWrong = meanDiffToNearest(toPixels(other.ours, info), pixels, h, w, scale);
    console.log(
      `${model}: mean |SR − nearest| ${dRight.toFixed(2)} levels with range [${info.inputRange}], ${dWrong.toFixed(2)} on the other scale`,
    );
    expect(dRight).toBeLessThan(8);
    expect(dWrong).toBeGreaterThan(4 * dRight);
  });
});
