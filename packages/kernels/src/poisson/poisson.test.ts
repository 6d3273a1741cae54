import { describe, expect, it } from 'vitest';
import { compareArrays, randomArray, useGpuPage } from '@avatarme/testing';
import type { Shape4 } from '../core/tensor.ts';
import { poissonSchedule } from './poisson.ts';
import { poissonBlendReference } from './reference.ts';

const gpu = useGpuPage();
const page = gpu.module<typeof import('./poisson.gpu.ts')>(new URL('./poisson.gpu.ts', import.meta.url));

// Every Gauss-Seidel update is a mean of neighbours (a convex combination), so f32 rounding does not
// grow over sweeps: it stays near a few ulps of the values (|v| ≤ 2 here, ulp 2.4e-7). 2e-5 has
// margin; a wrong neighbour, label rule, colour order or level size moves values by 1e-3 or more.
const TOL = { atol: 2e-5, rtol: 0 };

type Label = (y: number, x: number, b: number) => 0 | 1 | 2;

function labelMap(shape: Shape4, label: Label): Float32Array {
  const [n, h, w] = shape;
  const out = new Float32Array(n * h * w);
  for (let b = 0; b < n; b++)
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out[(b * h + y) * w + x] = label(y, x, b);
  return out;
}

/** A disc of unknown texels, a block outside the domain in one corner, known texels elsewhere. */
const discLabels: Label = (y, x) => (x < 6 && y < 6 ? 0 : (x - 15.5) ** 2 + (y - 14.5) ** 2 < 81 ? 2 : 1);

describe('poissonBlend', () => {
  it('matches the CPU reference: 32×32, 3 channels, a disc hole next to an outside block', async () => {
    const shape: Shape4 = [1, 32, 32, 3];
    const target = randomArray(32 * 32 * 3, 11);
    const guide = randomArray(32 * 32 * 3, 12);
    const labels = labelMap(shape, discLabels);
    const got = await page.runPoissonBlend({ target, guide, labels, shape });
    const cmp = compareArrays(got.data, poissonBlendReference(target, guide, labels, shape), TOL);
    expect(cmp.ok, cmp.message).toBe(true);
    expect(got.liveBuffers).toBe(0);
  });

  it('matches the CPU reference: batch 2 with different holes, 5 channels, odd 13×19, hole touching the border', async () => {
    const shape: Shape4 = [2, 13, 19, 5];
    const size = 2 * 13 * 19 * 5;
    const target = randomArray(size, 21);
    const guide = randomArray(size, 22);
    const labels = labelMap(shape, (y, x, b) => (b === 0 ? (x < 7 ? 2 : 1) : x + y > 20 ? 0 : y > 4 ? 2 : 1));
    const options = { iterations: 10, minSide: 4 };
    const got = await page.runPoissonBlend({ target, guide, labels, shape, options });
    const cmp = compareArrays(got.data, poissonBlendReference(target, guide, labels, shape, options), TOL);
    expect(cmp.ok, cmp.message).toBe(true);
  });

  it('keeps known and outside texels bit for bit, and reproduces a guide offset by a plane (harmonic)', async () => {
    // f = guide + (a·x + b·y + c) on the known texels: the plane is harmonic, so the exact solution
    // inside is that plane too. 200 sweeps per level leave an algebraic error far below 1e-4 on a
    // hole 18 texels across (Gauss-Seidel on the coarse-to-fine start).
    const shape: Shape4 = [1, 32, 32, 2];
    const guide = randomArray(32 * 32 * 2, 31);
    const plane = (y: number, x: number, ch: number) => 0.02 * x - 0.015 * y + 0.1 * ch + 0.05;
    const labels = labelMap(shape, discLabels);
    const target = new Float32Array(guide.length);
    const expected = new Float32Array(guide.length);
    for (let y = 0; y < 32; y++)
      for (let x = 0; x < 32; x++)
        for (let ch = 0; ch < 2; ch++) {
          const i = (y * 32 + x) * 2 + ch;
          expected[i] = guide[i] + plane(y, x, ch);
          target[i] = labels[y * 32 + x] === 2 ? 7 : expected[i];
        }
    const got = await page.runPoissonBlend({ target, guide, labels, shape, options: { iterations: 200 } });
    for (let p = 0; p < 32 * 32; p++)
      for (let ch = 0; ch < 2; ch++) {
        const i = 2 * p + ch;
        if (labels[p] !== 2) expect(got.data[i]).toBe(target[i]);
        else expect(Math.abs(got.data[i] - expected[i])).toBeLessThan(1e-4);
      }
  });

  it('satisfies the discrete Poisson equation with the guide’s Laplacian on every unknown texel', async () => {
    const shape: Shape4 = [1, 24, 24, 1];
    const target = randomArray(24 * 24, 41);
    const guide = randomArray(24 * 24, 42);
    const labels = labelMap(shape, (y, x) =>
      y > 16 && x < 4 ? 0 : x > 3 && x < 20 && y > 3 && y < 20 ? 2 : 1,
    );
    const got = await page.runPoissonBlend({ target, guide, labels, shape, options: { iterations: 300 } });
    // Residual Σ_q [(f_p − f_q) − (g_p − g_q)] over in-domain neighbours q, written out here.
    let worst = 0;
    for (let y = 0; y < 24; y++)
      for (let x = 0; x < 24; x++) {
        if (labels[y * 24 + x] !== 2) continue;
        let r = 0;
        for (const [dx, dy] of [
          [1, 0],
          [-1, 0],
          [0, 1],
          [0, -1],
        ]) {
          const [xx, yy] = [x + dx, y + dy];
          if (xx < 0 || yy < 0 || xx >= 24 || yy >= 24 || labels[yy * 24 + xx] === 0) continue;
          const [p, q] = [y * 24 + x, yy * 24 + xx];
          r += got.data[p] - got.data[q] - (guide[p] - guide[q]);
        }
        worst = Math.max(worst, Math.abs(r));
      }
    expect(worst).toBeLessThan(1e-4);
  });

  it('schedule: halves (rounding up) to the minimum side, the coarsest level swept four times as often', () => {
    expect(poissonSchedule(37, 20, { iterations: 5 })).toEqual([
      { h: 37, w: 20, sweeps: 5 },
      { h: 19, w: 10, sweeps: 5 },
      { h: 10, w: 5, sweeps: 20 },
    ]);
    expect(poissonSchedule(4, 4)).toEqual([{ h: 4, w: 4, sweeps: 96 }]);
  });

  it('rejects labels of the wrong shape, naming the op and both shapes', async () => {
    await expect(
      page.runPoissonBlend({
        target: new Float32Array(12),
        guide: new Float32Array(12),
        labels: new Float32Array(8),
        shape: [1, 2, 2, 3],
        labelShape: [1, 2, 2, 2],
      }),
    ).rejects.toThrow(/poissonBlend: labels \[1, 2, 2, 2\] must be \[1, 2, 2, 1\] for target \[1, 2, 2, 3\]/);
  });
});
