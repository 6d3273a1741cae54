import { describe, expect, it } from 'vitest';
import { compareArrays, randomArray, useGpuPage } from '@avatarme/testing';
import { planTiles, type TileWindow } from '../tile-plan.ts';
import { accumulateTileReference, normalizeTilesReference } from './reference.ts';

const gpu = useGpuPage();
const page = gpu.module<typeof import('./tiles.gpu.ts')>(new URL('./tiles.gpu.ts', import.meta.url));

// Weights come from f32 cos (a few ulps, ~1e-7) and are summed over ≤ 4 windows: acc and weightSum
// agree with the f64 reference within ~1e-6. The blended result Σw·x / Σw reproduces x within a few
// ulps (~1e-6 relative) because the same f32 weights appear above and below the fraction line.
const SUM_TOL = { atol: 2e-6, rtol: 2e-6 };
const BLEND_TOL = { atol: 1e-6, rtol: 1e-6 };

function crop(img: Float32Array, width: number, channels: number, t: TileWindow): Float32Array {
  const out = new Float32Array(t.h * t.w * channels);
  for (let y = 0; y < t.h; y++)
    out.set(
      img.subarray(((t.y0 + y) * width + t.x0) * channels, ((t.y0 + y) * width + t.x0 + t.w) * channels),
      y * t.w * channels,
    );
  return out;
}

describe('accumulateTile + normalizeTiles', () => {
  for (const [height, width, channels, tile, overlap] of [
    [23, 19, 3, 8, 3],
    [17, 30, 5, 9, 4],
    [12, 9, 1, 16, 4], // one window, smaller than the tile
    [20, 21, 8, 7, 6], // heavy overlap: up to 3 windows per axis
  ]) {
    it(`${height}×${width}×${channels}, tile ${tile}, overlap ${overlap}: crops blend back to the image`, async () => {
      const img = randomArray(height * width * channels, height * width + channels);
      const windows = planTiles(height, width, tile, overlap);
      const tiles = windows.map((t) => crop(img, width, channels, t));
      const got = await page.runBlend({ height, width, channels, windows, tiles });
      const acc = new Float32Array(height * width * channels);
      const ws = new Float32Array(height * width);
      windows.forEach((t, i) => accumulateTileReference(acc, ws, width, channels, tiles[i], t.h, t.w, t));
      let cmp = compareArrays(got.weights, ws, { ...SUM_TOL, label: 'weightSum' });
      expect(cmp.ok, cmp.message).toBe(true);
      cmp = compareArrays(got.acc, acc, { ...SUM_TOL, label: 'acc' });
      expect(cmp.ok, cmp.message).toBe(true);
      cmp = compareArrays(got.blended, normalizeTilesReference(acc, ws, channels), {
        ...BLEND_TOL,
        label: 'blended vs reference',
      });
      expect(cmp.ok, cmp.message).toBe(true);
      cmp = compareArrays(got.blended, img, { ...BLEND_TOL, label: 'blended vs image' });
      expect(cmp.ok, cmp.message).toBe(true);
      expect(got.liveBuffers).toBe(0);
    });
  }

  it('blends differing overlaps smoothly: a constant-per-tile input gives weights-proportional mixes', async () => {
    // Two windows of constants 0 and 1 over a 1×12 strip, tile 8, overlap 4: across the overlap the
    // result is the right window's raised-cosine weight, rising strictly from 0 to 1.
    const windows = planTiles(1, 12, 8, 4);
    expect(windows.length).toBe(2);
    const tiles = [new Float32Array(8).fill(0), new Float32Array(8).fill(1)];
    const got = await page.runBlend({
      height: 1,
      width: 12,
      channels: 1,
      windows,
      tiles,
    });
    const b = Array.from(got.blended);
    expect(b.slice(0, 4)).toEqual([0, 0, 0, 0]);
    expect(b.slice(8)).toEqual([1, 1, 1, 1]);
    for (let x = 4; x < 8; x++) {
      expect(b[x]).toBeCloseTo(0.5 - 0.5 * Math.cos((Math.PI * (x - 4 + 0.5)) / 4), 6);
      expect(b[x]).toBeGreaterThan(b[x - 1]);
    }
  });

  it('rejects a tile that does not fit, naming the op and shapes', async () => {
    const windows = [{ y0: 5, x0: 0, h: 4, w: 4, feather: { top: 0, bottom: 0, left: 0, right: 0 } }];
    await expect(
      page.runBlend({
        height: 6,
        width: 6,
        channels: 1,
        windows,
        tiles: [new Float32Array(16)],
      }),
    ).rejects.toThrow(/accumulateTile: tile \[1, 4, 4, 1\] at \(5, 0\) does not fit in acc \[1, 6, 6, 1\]/);
  });
});
