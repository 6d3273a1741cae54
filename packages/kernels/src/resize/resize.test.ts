import { describe, expect, it } from 'vitest';
import { compareArrays, randomArray, useGpuPage } from '@avatarme/testing';
import type { Shape4 } from '../core/tensor.ts';
import type { ResizeCase } from './resize.gpu.ts';
import { COORDINATE_MODES, NEAREST_ROUNDINGS } from './coordinates.ts';
import type { CoordinateMode, ResizeMode, ResizeOptions } from './resize.ts';
import { resizeReference } from './reference.ts';

const gpu = useGpuPage();
const page = gpu.module<typeof import('./resize.gpu.ts')>(new URL('./resize.gpu.ts', import.meta.url));

// Bilinear/bicubic in f32: the source coordinate is one correctly rounded division (relative error
// 6e-8), and 4–16 weighted taps of values in [-1, 1] with weights summing to 1 (bicubic's |w| sum
// ≤ 1.6) add a few ulps, so errors stay below ~2e-6; 1e-5 absolute + 1e-5 relative has margin
// while a wrong tap or weight gives O(0.1).
const TOL = { atol: 1e-5, rtol: 1e-5 };
// Nearest copies values: any difference is a wrong index.
const EXACT = { atol: 0 };

function sizeOf(s: readonly number[]): number {
  return s.reduce((a, b) => a * b, 1);
}

const CASES: { shape: Shape4; height: number; width: number }[] = [
  { shape: [1, 5, 7, 3], height: 11, width: 9 }, // odd up-scaling, 3 channels
  { shape: [2, 9, 6, 5], height: 4, width: 13 }, // down in H, up in W, batch 2, 5 channels
  { shape: [1, 4, 4, 8], height: 12, width: 12 }, // ×3, 8 channels
  { shape: [1, 6, 3, 1], height: 1, width: 5 }, // single output row (align-corners edge case), 1 channel
];
const MODES: ResizeMode[] = ['nearest', 'bilinear', 'bicubic'];
const COORDS: CoordinateMode[] = ['asymmetric', 'half-pixel', 'align-corners'];

describe('resize parity with the CPU reference', () => {
  CASES.forEach((cs, i) => {
    for (const mode of MODES)
      for (const coordinates of COORDS) {
        it(`${mode} ${coordinates} ${cs.shape.join('×')} → ${cs.height}×${cs.width}`, async () => {
          const x = randomArray(sizeOf(cs.shape), 10 + i);
          const options = { height: cs.height, width: cs.width, mode, coordinates };
          const got = await page.runResize({ x, shape: cs.shape, options });
          const ref = resizeReference(x, cs.shape, options);
          expect(got.shape).toEqual(ref.shape);
          const cmp = compareArrays(got.data, ref.data, mode === 'nearest' ? EXACT : TOL);
          expect(cmp.ok, cmp.message).toBe(true);
          expect(got.liveBuffers).toBe(0);
        });
      }
  });

  it('bicubic with cubicA −0.5 differs from the default −0.75 and matches its reference', async () => {
    const shape: Shape4 = [1, 5, 6, 4];
    const x = randomArray(sizeOf(shape), 3);
    const options = { height: 9, width: 13, mode: 'bicubic' as const, coordinates: 'half-pixel' as const };
    const tf1 = await page.runResize({
      x,
      shape,
      options: { ...options, cubicA: -0.5 },
    });
    const torch = resizeReference(x, shape, options);
    const cmp = compareArrays(tf1.data, resizeReference(x, shape, { ...options, cubicA: -0.5 }).data, TOL);
    expect(cmp.ok, cmp.message).toBe(true);
    expect(compareArrays(tf1.data, torch.data, { atol: 1e-3 }).ok).toBe(false);
  });
});

describe('resize: ONNX coordinate modes, nearest roundings, scales and exclude_outside', () => {
  // Each option against the reference, which computes the source coordinate in f64 from the formula
  // and rounds it directly (the kernel uses the rational form of coordinates.ts instead).
  const up: { shape: Shape4; height: number; width: number } = { shape: [1, 4, 5, 3], height: 8, width: 12 };
  const down: { shape: Shape4; height: number; width: number } = { shape: [1, 8, 6, 2], height: 3, width: 4 };
  const cases: { name: string; cs: typeof up; options: Partial<ResizeOptions> }[] = [];
  for (const coordinates of COORDINATE_MODES)
    for (const nearestRounding of NEAREST_ROUNDINGS)
      for (const cs of [up, down])
        cases.push({
          name: `nearest ${coordinates} ${nearestRounding}`,
          cs,
          options: { mode: 'nearest', coordinates, nearestRounding },
        });
  for (const coordinates of ['pytorch-half-pixel', 'tf-half-pixel-for-nn'] as const)
    for (const mode of ['bilinear', 'bicubic'] as const)
      cases.push({ name: `${mode} ${coordinates}`, cs: down, options: { mode, coordinates } });
  // A scale that is not out/in: 8·0.6 → 4 rows, 6·0.75 → 4 columns (ONNX: floor(in·scale)).
  const scaled = { shape: [1, 8, 6, 2] as Shape4, height: 4, width: 4 };
  for (const coordinates of ['half-pixel', 'align-corners', 'asymmetric'] as const)
    for (const mode of ['bilinear', 'bicubic'] as const)
      cases.push({
        name: `${mode} ${coordinates} scale [0.6, 0.75]`,
        cs: scaled,
        options: { mode, coordinates, scale: [0.6, 0.75] },
      });
  // Scales exact in binary, so the reference's f64 coordinate has no tie to break differently.
  cases.push({
    name: 'nearest half-pixel round-prefer-floor scale [0.625, 0.75]',
    cs: { shape: [1, 8, 6, 2], height: 5, width: 4 },
    options: {
      mode: 'nearest',
      coordinates: 'half-pixel',
      nearestRounding: 'round-prefer-floor',
      scale: [0.625, 0.75],
    },
  });
  cases.push({
    name: 'pytorch-half-pixel to one column',
    cs: { shape: [1, 4, 4, 1], height: 3, width: 1 },
    options: { mode: 'bilinear', coordinates: 'pytorch-half-pixel' },
  });
  for (const cs of [up, down])
    cases.push({
      name: 'bicubic exclude_outside, a = −0.5',
      cs,
      options: { mode: 'bicubic', coordinates: 'half-pixel', cubicA: -0.5, excludeOutside: true },
    });
  cases.forEach(({ name, cs, options: partial }, i) => {
    it(`${name}: ${cs.shape.join('×')} → ${cs.height}×${cs.width}`, async () => {
      const x = randomArray(sizeOf(cs.shape), 300 + i);
      const options = { height: cs.height, width: cs.width, mode: 'nearest' as const, ...partial };
      const got = await page.runResize({ x, shape: cs.shape, options });
      const ref = resizeReference(x, cs.shape, options);
      const cmp = compareArrays(got.data, ref.data, options.mode === 'nearest' ? EXACT : TOL);
      expect(cmp.ok, cmp.message).toBe(true);
    });
  });

  it('exclude_outside changes the border pixels only', async () => {
    const x = randomArray(sizeOf(up.shape), 399);
    const options = {
      height: up.height,
      width: up.width,
      mode: 'bicubic' as const,
      coordinates: 'half-pixel' as const,
    };
    const plain = resizeReference(x, up.shape, options).data;
    const excluded = (
      await page.runResize({ x, shape: up.shape, options: { ...options, excludeOutside: true } })
    ).data;
    // Output (3, 5) reads source rows 0..3 (y 1.25) and columns 0..3 (x 1.79), all inside: the same value.
    const at = (d: Float32Array, y: number, xx: number) => d[(y * up.width + xx) * 3];
    expect(Math.abs(at(excluded, 3, 5) - at(plain, 3, 5))).toBeLessThan(1e-5);
    expect(Math.abs(at(excluded, 0, 0) - at(plain, 0, 0))).toBeGreaterThan(1e-4);
  });
});

describe('resize conventions match TF.js (CPU backend)', () => {
  const combos: { coordinates: CoordinateMode; alignCorners: boolean; halfPixelCenters: boolean }[] = [
    { coordinates: 'asymmetric', alignCorners: false, halfPixelCenters: false }, // TF.js defaults
    { coordinates: 'half-pixel', alignCorners: false, halfPixelCenters: true },
    { coordinates: 'align-corners', alignCorners: true, halfPixelCenters: false },
  ];
  const shapes: { shape: Shape4; size: [number, number] }[] = [
    { shape: [1, 5, 7, 3], size: [11, 9] },
    { shape: [1, 9, 10, 5], size: [4, 7] },
    { shape: [1, 3, 4, 2], size: [12, 16] },
  ];
  for (const method of ['bilinear', 'nearest'] as const)
    for (const combo of combos)
      it(`${method}: '${combo.coordinates}' = alignCorners ${combo.alignCorners}, halfPixelCenters ${combo.halfPixelCenters}`, async () => {
        for (const [i, s] of shapes.entries()) {
          const x = randomArray(sizeOf(s.shape), 40 + i);
          const expected = await page.tfResize({
            x,
            shape: s.shape,
            size: s.size,
            method,
            alignCorners: combo.alignCorners,
            halfPixelCenters: combo.halfPixelCenters,
          });
          const options = {
            height: s.size[0],
            width: s.size[1],
            mode: method,
            coordinates: combo.coordinates,
          };
          const got = await page.runResize({ x, shape: s.shape, options });
          // TF.js computes in f64 then stores f32; nearest must pick the same pixel exactly.
          const cmp = compareArrays(got.data, expected, method === 'nearest' ? EXACT : TOL);
          expect(cmp.ok, `${s.shape.join('×')} → ${s.size.join('×')}: ${cmp.message}`).toBe(true);
          // The CPU reference (used for the PyTorch and bicubic cases) agrees with TF.js too.
          const ref = resizeReference(x, s.shape, options);
          expect(compareArrays(ref.data, expected, method === 'nearest' ? EXACT : TOL).ok).toBe(true);
        }
      });

  it('upsampleNearest equals tfjs-layers UpSampling2D', async () => {
    for (const factor of [2, 3]) {
      const shape: Shape4 = [1, 3, 5, 6];
      const x = randomArray(sizeOf(shape), 50 + factor);
      const expected = await page.tfUpSampling2d({ x, shape, factor });
      const got = await page.runResize({ x, shape, factor } satisfies ResizeCase);
      expect(got.shape).toEqual([1, 3 * factor, 5 * factor, 6]);
      const cmp = compareArrays(got.data, expected, EXACT);
      expect(cmp.ok, cmp.message).toBe(true);
    }
  });
});

describe('resize properties independent of the reference', () => {
  it('bicubic with a = −0.5 reproduces a quadratic ramp exactly away from the border', async () => {
    // Keys' kernel with a = −0.5 is third-order accurate: it interpolates quadratics exactly, so the
    // expected values come from the formula, not from the reference.
    const [h, w] = [10, 12];
    const f = (y: number, x: number) => 0.01 * (y * y - 2 * x * x + 3 * x * y) + 0.1 * y - 0.05;
    const x = new Float32Array(h * w);
    for (let y = 0; y < h; y++) for (let xx = 0; xx < w; xx++) x[y * w + xx] = f(y, xx);
    const options = {
      height: 20,
      width: 24,
      mode: 'bicubic' as const,
      coordinates: 'half-pixel' as const,
      cubicA: -0.5,
    };
    const got = await page.runResize({ x, shape: [1, h, w, 1], options });
    let worst = 0;
    for (let oy = 4; oy < 16; oy++)
      for (let ox = 4; ox < 20; ox++) {
        const sy = (oy + 0.5) / 2 - 0.5;
        const sx = (ox + 0.5) / 2 - 0.5;
        worst = Math.max(worst, Math.abs(got.data[oy * 24 + ox] - f(sy, sx)));
      }
    expect(worst).toBeLessThan(1e-5);
  });

  it('rejects a non-positive output size, naming the op', async () => {
    const shape: Shape4 = [1, 2, 2, 1];
    await expect(
      page.runResize({
        x: new Float32Array(4),
        shape,
        options: { height: 0, width: 3, mode: 'bilinear' },
      }),
    ).rejects.toThrow(/resize: output size 0×3 must be positive integers/);
  });
});
