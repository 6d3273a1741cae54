import { describe, expect, it } from 'vitest';
import type { PosedSurface } from '../surface/surface.ts';
import { surfaceCrop, surfaceInCrop } from './photo-crop.ts';

/** Only what the crop reads: the camera's image size and camera-frame vertex positions. */
function fakeSurface(points: number[][], width = 100, height = 80): PosedSurface {
  return {
    camera: { width, height },
    cameraPositions: Float32Array.from(points.flat()),
  } as unknown as PosedSurface;
}

describe('super-resolution crop of the photo', () => {
  it('boxes the projected vertices with a 4 px margin, clipped to the photo', () => {
    expect(
      surfaceCrop(
        fakeSurface([
          [20.5, 30, 1],
          [60.2, 50.9, 2],
        ]),
      ),
    ).toEqual([16, 26, 49, 29]);
    expect(
      surfaceCrop(
        fakeSurface([
          [-10, 2, 0],
          [99, 79, 0],
        ]),
      ),
    ).toEqual([0, 0, 100, 80]);
    expect(() =>
      surfaceCrop(
        fakeSurface([
          [-30, -30, 0],
          [-20, -20, 0],
        ]),
      ),
    ).toThrow(/projects outside the 100×80 photo/);
  });

  it('maps a vertex to the same place in the resampled crop: shift, then scale x, y and the mean scale on z', () => {
    const s = surfaceInCrop(
      fakeSurface([
        [20, 30, 5],
        [40, 50, 6],
      ]),
      [10, 20, 50, 40],
      100,
      120,
    );
    expect(s.camera).toEqual({ width: 100, height: 120 });
    // x: (20 − 10)·2, y: (30 − 20)·3, z: 5·2.5.
    expect(Array.from(s.cameraPositions)).toEqual([20, 30, 12.5, 60, 90, 15]);
  });
});
