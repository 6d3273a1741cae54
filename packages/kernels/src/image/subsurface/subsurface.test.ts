import { describe, expect, it } from 'vitest';
import { compareArrays, randomArray, useGpuPage } from '@avatarme/testing';
import type { Shape4 } from '../../core/tensor.ts';
import type { SubsurfaceBlurOptions } from './subsurface.ts';
import { subsurfaceBlurReference } from './reference.ts';

const gpu = useGpuPage();
const page = gpu.module<typeof import('./subsurface.gpu.ts')>(
  new URL('./subsurface.gpu.ts', import.meta.url),
);

// Weights come from f32 exp (a few ulps) and are normalised by their own sum; two passes of ≤ 33
// taps of values in [0, 1] accumulate ~1e-6. 1e-5 has margin; a wrong tap, stride or depth weight is
// O(0.01) or more.
const TOL = { atol: 1e-5, rtol: 1e-5 };

/**
 * Radiance in [0, 1] over a tilted plane at ~500 mm (depth changes ~1 mm per pixel along x), a raised
 * block 30 mm nearer, and a few pixels without surface (depth 0).
 */
function scene(shape: Shape4, seed: number): Float32Array {
  const [n, h, w] = shape;
  const colour = randomArray(n * h * w * 4, seed);
  const x = new Float32Array(n * h * w * 4);
  for (let b = 0; b < n; b++)
    for (let y = 0; y < h; y++)
      for (let xx = 0; xx < w; xx++) {
        const i = (b * h + y) * w + xx;
        for (let c = 0; c < 3; c++) x[i * 4 + c] = 0.5 + 0.5 * colour[i * 4 + c];
        const block = xx >= w / 2 && y >= h / 3 && y < (2 * h) / 3;
        const empty = (xx + 2 * y + b) % 11 === 0;
        x[i * 4 + 3] = empty ? 0 : 500 + xx - (block ? 30 : 0);
      }
  return x;
}

const CASES: { shape: Shape4; options: SubsurfaceBlurOptions }[] = [
  { shape: [1, 12, 14, 4], options: { widthMm: 2, focalPx: [500, 400] } }, // σ ≈ 2 px and 1.6 px
  { shape: [2, 10, 9, 4], options: { widthMm: 3, focalPx: [900, 900], maxTaps: 4 } }, // σ ≈ 5 px: stride 4
  { shape: [1, 1, 16, 4], options: { widthMm: 1, focalPx: [1000, 1000] } }, // a single row
];

describe('subsurfaceBlur', () => {
  CASES.forEach((cs, i) => {
    it(`${cs.shape.join('×')} width ${cs.options.widthMm} mm, focal ${cs.options.focalPx.join('/')} px, max taps ${cs.options.maxTaps ?? 32}`, async () => {
      const x = scene(cs.shape, 300 + i);
      const got = await page.runSubsurfaceBlur({ x, shape: cs.shape, options: cs.options });
      const cmp = compareArrays(got.data, subsurfaceBlurReference(x, cs.shape, cs.options), TOL);
      expect(cmp.ok, cmp.message).toBe(true);
      expect(got.liveBuffers).toBe(0);
    });
  });

  it('blurs across a colour edge on one plane but not across a depth step', async () => {
    // Left half red, right half black. Coplanar: the edge blurs. Right half 50 mm nearer (25 σ):
    // each side keeps its own colour.
    const [h, w] = [4, 24];
    const image = (step: number) => {
      const x = new Float32Array(h * w * 4);
      for (let i = 0; i < h * w; i++) {
        const left = i % w < w / 2;
        x.set([left ? 1 : 0, 0, 0, left ? 500 : 500 - step], i * 4);
      }
      return x;
    };
    const options: SubsurfaceBlurOptions = { widthMm: 2, focalPx: [750, 750] }; // σ = 3 px
    const run = async (step: number) =>
      (await page.runSubsurfaceBlur({ x: image(step), shape: [1, h, w, 4], options })).data;
    const red = (px: Float32Array, x: number) => px[(w + x) * 4];
    const flat = await run(0);
    expect(red(flat, w / 2 - 1)).toBeLessThan(0.75); // last red pixel gives light away
    expect(red(flat, w / 2)).toBeGreaterThan(0.25); // first black pixel receives it
    const stepped = await run(50);
    expect(red(stepped, w / 2 - 1)).toBeGreaterThan(1 - 1e-6);
    expect(red(stepped, w / 2)).toBeLessThan(1e-6);
  });

  it('keeps a constant image on a plane constant', async () => {
    const x = new Float32Array(8 * 8 * 4);
    for (let i = 0; i < 64; i++) x.set([0.3, 0.6, 0.9, 400 + (i % 8)], i * 4);
    const got = await page.runSubsurfaceBlur({
      x,
      shape: [1, 8, 8, 4],
      options: { widthMm: 2, focalPx: [600, 600] },
    });
    expect(compareArrays(got.data, x, { atol: 1e-6 }).ok).toBe(true);
  });

  it('rejects an image without a depth channel', async () => {
    await expect(
      page.runSubsurfaceBlur({
        x: new Float32Array(12),
        shape: [1, 2, 2, 3],
        options: { widthMm: 1, focalPx: [1, 1] },
      }),
    ).rejects.toThrow(/subsurfaceBlur: expects \[N, H, W, 4\] \(rgb \+ depth in mm\), got/);
  });
});
