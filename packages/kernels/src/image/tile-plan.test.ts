import { describe, expect, it } from 'vitest';
import { featherWeight, planAxis, planTiles } from './tile-plan.ts';

const CONFIGS: [height: number, width: number, tile: number, overlap: number][] = [
  [5, 7, 8, 2], // smaller than one tile
  [8, 8, 8, 2], // exactly one tile
  [9, 8, 8, 2], // one pixel more than a tile
  [23, 19, 8, 3],
  [100, 37, 16, 4],
  [64, 64, 16, 0], // no overlap
  [50, 31, 12, 11], // overlap nearly the tile
  [1, 40, 7, 2], // a single row
  [513, 257, 128, 32],
];

describe('planTiles (pure)', () => {
  for (const [h, w, tile, overlap] of CONFIGS) {
    it(`${h}×${w}, tile ${tile}, overlap ${overlap}`, () => {
      const windows = planTiles(h, w, tile, overlap);
      const cover = new Uint16Array(h * w);
      const weight = new Float64Array(h * w);
      for (const t of windows) {
        // Inside the image, at most `tile`, and full size along every axis larger than the tile.
        expect(t.y0).toBeGreaterThanOrEqual(0);
        expect(t.x0).toBeGreaterThanOrEqual(0);
        expect(t.y0 + t.h).toBeLessThanOrEqual(h);
        expect(t.x0 + t.w).toBeLessThanOrEqual(w);
        expect(t.h).toBe(Math.min(tile, h));
        expect(t.w).toBe(Math.min(tile, w));
        // Feathers are 0 at image borders (and elsewhere only when windows do not overlap).
        if (t.y0 === 0) expect(t.feather.top).toBe(0);
        if (t.x0 === 0) expect(t.feather.left).toBe(0);
        if (t.y0 + t.h === h) expect(t.feather.bottom).toBe(0);
        if (t.x0 + t.w === w) expect(t.feather.right).toBe(0);
        // Inside the image every ramp is at least `overlap` wide.
        if (t.y0 > 0) expect(t.feather.top).toBeGreaterThanOrEqual(overlap);
        if (t.x0 > 0) expect(t.feather.left).toBeGreaterThanOrEqual(overlap);
        if (t.y0 + t.h < h) expect(t.feather.bottom).toBeGreaterThanOrEqual(overlap);
        if (t.x0 + t.w < w) expect(t.feather.right).toBeGreaterThanOrEqual(overlap);
        for (let y = 0; y < t.h; y++)
          for (let x = 0; x < t.w; x++) {
            cover[(t.y0 + y) * w + t.x0 + x]++;
            weight[(t.y0 + y) * w + t.x0 + x] += featherWeight(y, x, t.h, t.w, t.feather);
          }
      }
      expect(cover.every((c) => c > 0)).toBe(true);
      expect(weight.every((s) => s > 0)).toBe(true);
      // Where at most two windows overlap along each axis, the raised-cosine weights sum to 1.
      const axisCover = (size: number) => {
        const c = new Uint16Array(size);
        for (const s of planAxis(size, tile, overlap)) for (let i = s.start; i < s.start + s.len; i++) c[i]++;
        return Math.max(...c);
      };
      if (axisCover(h) <= 2 && axisCover(w) <= 2) {
        for (const s of weight) expect(Math.abs(s - 1)).toBeLessThan(1e-12);
      }
    });
  }

  it('neighbouring windows overlap by at least `overlap`, and ramps match the actual overlap', () => {
    for (const [size, tile, overlap] of [
      [23, 8, 3],
      [100, 16, 4],
      [50, 12, 11],
      [513, 128, 32],
    ]) {
      const spans = planAxis(size, tile, overlap);
      for (let i = 1; i < spans.length; i++) {
        const actual = spans[i - 1].start + spans[i - 1].len - spans[i].start;
        expect(actual).toBeGreaterThanOrEqual(overlap);
        expect(spans[i].before).toBe(actual);
        expect(spans[i - 1].after).toBe(actual);
      }
      expect(spans[spans.length - 1].start + tile).toBe(size);
    }
  });

  it('rejects an overlap not smaller than the tile', () => {
    expect(() => planTiles(10, 10, 4, 4)).toThrow(/planTiles: overlap 4 must be an integer in \[0, tile 4\)/);
  });
});
