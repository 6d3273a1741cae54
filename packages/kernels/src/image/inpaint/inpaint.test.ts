import { describe, expect, it } from 'vitest';
import { compareArrays, randomArray, useGpuPage } from '@avatarme/testing';
import type { Shape4 } from '../../core/tensor.ts';
import { pyramidSizes } from './inpaint.ts';
import { pushPullInpaintReference } from './reference.ts';

const gpu = useGpuPage();
const page = gpu.module<typeof import('./inpaint.gpu.ts')>(new URL('./inpaint.gpu.ts', import.meta.url));

// Filled values are chains of weighted means (push) and bilinear interpolations (pull), each a convex
// combination in f32, ~10 levels deep: rounding stays below ~1e-6 for values in [-1, 1]. 1e-5 has
// margin; a wrong level size, tap or weight gives O(0.01) or more.
const TOL = { atol: 1e-5, rtol: 1e-5 };

type Mask = (y: number, x: number, b: number) => boolean; // true = known

function makeMask(shape: Shape4, known: Mask): Float32Array {
  const [n, h, w] = shape;
  const m = new Float32Array(n * h * w);
  // Known pixels get mask values in (0.5, 1], unknown in [0, 0.5]: the kernel thresholds at 0.5.
  for (let b = 0; b < n; b++)
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        m[(b * h + y) * w + x] = known(y, x, b) ? 0.75 + 0.25 * ((x + y) % 2) : 0.5 * ((x * y) % 2);
  return m;
}

async function run(shape: Shape4, x: Float32Array, mask: Float32Array) {
  return page.runInpaint({ x, mask, shape });
}

/** Independent checks: known pixels bit-identical, filled ones within the known values' range per channel. */
function checkProperties(shape: Shape4, x: Float32Array, mask: Float32Array, got: Float32Array): void {
  const [n, h, w, c] = shape;
  for (let b = 0; b < n; b++) {
    const lo = new Array(c).fill(Infinity);
    const hi = new Array(c).fill(-Infinity);
    for (let p = 0; p < h * w; p++)
      if (mask[b * h * w + p] > 0.5)
        for (let k = 0; k < c; k++) {
          lo[k] = Math.min(lo[k], x[(b * h * w + p) * c + k]);
          hi[k] = Math.max(hi[k], x[(b * h * w + p) * c + k]);
        }
    for (let p = 0; p < h * w; p++)
      for (let k = 0; k < c; k++) {
        const i = (b * h * w + p) * c + k;
        if (mask[b * h * w + p] > 0.5) expect(got[i]).toBe(x[i]);
        else {
          expect(got[i]).toBeGreaterThanOrEqual(lo[k] - 1e-6);
          expect(got[i]).toBeLessThanOrEqual(hi[k] + 1e-6);
        }
      }
  }
}

const CASES: { name: string; shape: Shape4; known: Mask }[] = [
  {
    name: 'big central hole (11×9 of 21×17), 3 channels',
    shape: [1, 21, 17, 3],
    known: (y, x) => !(y >= 5 && y < 16 && x >= 4 && x < 13),
  },
  {
    name: 'border hole (left 5 columns and top 3 rows), 1 channel, odd 13×7',
    shape: [1, 13, 7, 1],
    known: (y, x) => x >= 5 && y >= 3,
  },
  {
    name: 'scattered known pixels (1 in 7), 5 channels, batch 2 with different masks',
    shape: [2, 9, 10, 5],
    known: (y, x, b) => (y * 10 + x + 3 * b) % 7 === 0,
  },
  {
    name: 'hole touching two borders, 8 channels, 16×16',
    shape: [1, 16, 16, 8],
    known: (y, x) => x + y < 18,
  },
];

describe('pushPullInpaint', () => {
  CASES.forEach((cs, i) => {
    it(cs.name, async () => {
      const [n, h, w, c] = cs.shape;
      const x = randomArray(n * h * w * c, 130 + i);
      const mask = makeMask(cs.shape, cs.known);
      const got = await run(cs.shape, x, mask);
      const cmp = compareArrays(got.data, pushPullInpaintReference(x, mask, cs.shape), TOL);
      expect(cmp.ok, cmp.message).toBe(true);
      checkProperties(cs.shape, x, mask, got.data);
      expect(got.liveBuffers).toBe(0);
    });
  });

  it('fills a hole in a constant image with that constant; all known → unchanged; none known → 0', async () => {
    const shape: Shape4 = [1, 11, 6, 3];
    const flat = new Float32Array(11 * 6 * 3).fill(0.25);
    const hole = makeMask(shape, (y, x) => !(y > 2 && y < 9 && x > 0));
    const a = await run(shape, flat, hole);
    expect(compareArrays(a.data, flat, { atol: 1e-7 }).ok).toBe(true);
    const x = randomArray(11 * 6 * 3, 7);
    const all = await run(
      shape,
      x,
      makeMask(shape, () => true),
    );
    expect(compareArrays(all.data, x, { atol: 0 }).ok).toBe(true);
    const none = await run(
      shape,
      x,
      makeMask(shape, () => false),
    );
    expect(Array.from(none.data).every((v) => v === 0)).toBe(true);
  });

  it('1×1 and 1×N images', async () => {
    for (const shape of [
      [1, 1, 1, 2],
      [1, 1, 9, 2],
    ] as Shape4[]) {
      const x = randomArray(shape[2] * 2, 8);
      const mask = makeMask(shape, (_, xx) => xx % 4 === 0);
      const got = await run(shape, x, mask);
      const cmp = compareArrays(got.data, pushPullInpaintReference(x, mask, shape), TOL);
      expect(cmp.ok, cmp.message).toBe(true);
    }
  });

  it('pyramid sizes halve (rounding up) to 1×1', () => {
    expect(pyramidSizes(5, 12)).toEqual([
      [5, 12],
      [3, 6],
      [2, 3],
      [1, 2],
      [1, 1],
    ]);
    expect(pyramidSizes(1, 1)).toEqual([[1, 1]]);
  });

  it('rejects a mask of the wrong shape, naming the op and both shapes', async () => {
    await expect(
      page.runInpaint({
        x: new Float32Array(12),
        mask: new Float32Array(4),
        shape: [1, 2, 2, 3],
        maskShape: [1, 2, 1, 2],
      }),
    ).rejects.toThrow(/pushPullInpaint: mask \[1, 2, 1, 2\] must be \[1, 2, 2, 1\] for input \[1, 2, 2, 3\]/);
  });
});
