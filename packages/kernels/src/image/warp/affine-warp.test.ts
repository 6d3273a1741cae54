import { describe, expect, it } from 'vitest';
import { compareArrays, randomArray, useGpuPage } from '@avatarme/testing';
import type { Shape4 } from '../../core/tensor.ts';
import type { AffineMatrix, AffineWarpOptions } from './affine-warp.ts';
import { affineWarpReference } from './reference.ts';

const gpu = useGpuPage();
const page = gpu.module<typeof import('./affine-warp.gpu.ts')>(
  new URL('./affine-warp.gpu.ts', import.meta.url),
);

// The sample coordinate is one f32 dot product of magnitude ≤ ~30 px: error ≤ ~4 ulp ≈ 1e-5 px. With
// random data (neighbour differences up to 2) that moves values by ≤ 2e-5; the interpolation itself
// adds ~1e-7. 5e-5 absolute has margin; a wrong tap or weight is O(0.1).
const TOL = { atol: 5e-5, rtol: 1e-5 };

function sizeOf(s: readonly number[]): number {
  return s.reduce((a, b) => a * b, 1);
}

/** Output (u, v) centre → input: rotate by `angle` and scale by `scale` about the input point (cx, cy). */
function rotateScale(
  angle: number,
  scale: number,
  cx: number,
  cy: number,
  outW: number,
  outH: number,
): AffineMatrix {
  const [cos, sin] = [Math.cos(angle) * scale, Math.sin(angle) * scale];
  // ix = cx + R·(u − outW/2, v − outH/2)
  return [
    cos,
    -sin,
    cx - cos * (outW / 2) + sin * (outH / 2),
    sin,
    cos,
    cy - sin * (outW / 2) - cos * (outH / 2),
  ];
}

const CASES: { name: string; shape: Shape4; options: AffineWarpOptions }[] = [
  {
    name: 'rotation 23° + scale 1.37, 3 channels, odd sizes, zero border',
    shape: [1, 13, 11, 3],
    options: { matrix: rotateScale(0.4, 1.37, 5.3, 6.9, 9, 7), height: 7, width: 9 },
  },
  {
    name: 'rotation −50° + scale 0.6 (up-sampling), 5 channels, replicate border',
    shape: [1, 9, 10, 5],
    options: {
      matrix: rotateScale(-0.87, 0.6, 4.2, 3.1, 15, 13),
      height: 13,
      width: 15,
      border: 'replicate',
    },
  },
  {
    name: 'shear + translation partly outside, 1 channel, batch 2, zero border',
    shape: [2, 8, 7, 1],
    options: { matrix: [0.9, 0.35, -2.2, -0.2, 1.1, 1.7], height: 10, width: 9 },
  },
  {
    name: 'crop box to 12×12 (face-crop form [s/S, 0, x0, 0, s/S, y0]), 8 channels, replicate',
    shape: [1, 11, 14, 8],
    options: { matrix: [7.5 / 12, 0, 3.25, 0, 7.5 / 12, 2.5], height: 12, width: 12, border: 'replicate' },
  },
];

describe('affineWarp', () => {
  CASES.forEach((cs, i) => {
    it(`${cs.name}: matches the CPU reference`, async () => {
      const x = randomArray(sizeOf(cs.shape), 80 + i);
      const got = await page.runAffineWarp({
        x,
        shape: cs.shape,
        options: cs.options,
      });
      const ref = affineWarpReference(x, cs.shape, cs.options);
      expect(got.shape).toEqual(ref.shape);
      const cmp = compareArrays(got.data, ref.data, TOL);
      expect(cmp.ok, cmp.message).toBe(true);
      expect(got.liveBuffers).toBe(0);
    });
    it(`${cs.name}: matches tf.image.transform (TF.js CPU)`, async () => {
      const x = randomArray(sizeOf(cs.shape), 90 + i);
      const expected = await page.tfTransform({
        x,
        shape: cs.shape,
        options: cs.options,
      });
      const got = await page.runAffineWarp({
        x,
        shape: cs.shape,
        options: cs.options,
      });
      const cmp = compareArrays(got.data, expected, TOL);
      expect(cmp.ok, cmp.message).toBe(true);
    });
  });

  it('identity and integer shifts reproduce the input exactly', async () => {
    const shape: Shape4 = [1, 6, 7, 3];
    const x = randomArray(sizeOf(shape), 5);
    const same = await page.runAffineWarp({
      x,
      shape,
      options: { matrix: [1, 0, 0, 0, 1, 0], height: 6, width: 7 },
    });
    expect(compareArrays(same.data, x, { atol: 0 }).ok).toBe(true);
    // Shift by (+2, +1): output (u, v) = input (u + 2, v + 1); the last rows/columns fall outside → 0.
    const shifted = await page.runAffineWarp({
      x,
      shape,
      options: { matrix: [1, 0, 2, 0, 1, 1], height: 6, width: 7 },
    });
    for (let v = 0; v < 6; v++)
      for (let u = 0; u < 7; u++)
        for (let k = 0; k < 3; k++) {
          const inside = v + 1 < 6 && u + 2 < 7;
          const expected = inside ? x[((v + 1) * 7 + u + 2) * 3 + k] : 0;
          expect(shifted.data[(v * 7 + u) * 3 + k]).toBe(expected);
        }
  });

  it('far outside the input gives zeros (zero border) and edge pixels (replicate)', async () => {
    const shape: Shape4 = [1, 3, 3, 1];
    const x = randomArray(9, 6);
    const far = { matrix: [1, 0, 1e6, 0, 1, -1e6] as AffineMatrix, height: 2, width: 2 };
    const zero = await page.runAffineWarp({ x, shape, options: far });
    expect(Array.from(zero.data)).toEqual([0, 0, 0, 0]);
    const rep = await page.runAffineWarp({
      x,
      shape,
      options: { ...far, border: 'replicate' },
    });
    expect(Array.from(rep.data)).toEqual([x[2], x[2], x[2], x[2]]); // top-right corner
  });
});
