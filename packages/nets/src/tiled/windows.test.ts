import { describe, expect, it } from 'vitest';
import { chooseTileSize, planContextWindows } from './windows.ts';

describe('planContextWindows', () => {
  it.each([
    [37, 53, 16, 4, 8],
    [16, 16, 16, 4, 8],
    [100, 9, 32, 6, 0],
    [5, 70, 24, 8, 30],
  ])(
    '%i×%i, tile %i, overlap %i, context %i: windows cover the image; reads stay inside it',
    (h, w, tile, overlap, context) => {
      const cover = new Uint8Array(h * w);
      for (const win of planContextWindows(h, w, tile, overlap, context)) {
        const r = win.read;
        expect(r.y0).toBeGreaterThanOrEqual(0);
        expect(r.x0).toBeGreaterThanOrEqual(0);
        expect(r.y0 + r.h).toBeLessThanOrEqual(h);
        expect(r.x0 + r.w).toBeLessThanOrEqual(w);
        // The window sits inside the region read, with `context` pixels around it where the image has them.
        expect(win.offsetY).toBe(Math.min(context, win.y0));
        expect(win.offsetX).toBe(Math.min(context, win.x0));
        expect(r.h - win.offsetY - win.h).toBe(Math.min(context, h - win.y0 - win.h));
        for (let y = win.y0; y < win.y0 + win.h; y++)
          for (let x = win.x0; x < win.x0 + win.w; x++) cover[y * w + x] = 1;
      }
      expect(cover.every((c) => c === 1)).toBe(true);
    },
  );
});

describe('chooseTileSize', () => {
  // A fake network: 64 channels of f32 at input size, peak = 3 such tensors.
  const estimate = (h: number, w: number) => ({ peakBytes: 3 * h * w * 256, largestBytes: h * w * 256 });
  it('takes the largest candidate whose largest tensor fits one binding and whose peak fits the budget', () => {
    const limits = { maxStorageBufferBindingSize: 2 ** 30, maxBufferSize: 2 ** 30 };
    expect(chooseTileSize(estimate, limits, { context: 8, budget: 2 ** 40 })).toBe(256);
    // 3·(t+16)²·256 ≤ 16 MiB → t + 16 ≤ 147.
    expect(chooseTileSize(estimate, limits, { context: 8, budget: 16 * 2 ** 20 })).toBe(128);
    const small = { maxStorageBufferBindingSize: 2 ** 20, maxBufferSize: 2 ** 30 };
    // (t+16)²·256 ≤ 1 MiB → t + 16 ≤ 64.
    expect(chooseTileSize(estimate, small, { context: 8, budget: 2 ** 40 })).toBe(48);
  });
  it('says why when nothing fits', () => {
    const tiny = { maxStorageBufferBindingSize: 1000, maxBufferSize: 1000 };
    expect(() => chooseTileSize(estimate, tiny, { context: 8, budget: 2 ** 40 })).toThrow(
      'tiled: even a 16×16 tile needs more than this device allows (binding 1000 B, budget 1099511627776 B)',
    );
  });
});
