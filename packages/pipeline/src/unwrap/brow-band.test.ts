import { describe, expect, it } from 'vitest';
import { browBandTexels } from './unwrap.ts';

describe('browBandTexels (where a fringe may be followed)', () => {
  it('is the skin region’s feature margin above the nose bridge, nothing else', () => {
    // 4×4 texels, y = 3 − row (cm); the bridge bump at row 2 (y = 1). Triangles: 0 feature margin of
    // the skin region, 1 core skin, 2 occludable skin, 3 another region (an eye).
    const size = 4;
    const positions = Float32Array.from({ length: 48 }, (_, k) => (k % 3 === 1 ? 3 - Math.floor(k / 12) : 0));
    const triangle = Int32Array.from([0, 0, 1, 2, 0, 3, 0, -1, 0, 0, 0, 0, 0, 0, 0, 0]);
    const surface = {
      skinOfTriangle: Uint8Array.from([0, 1, 0, 0]),
      occludableOfTriangle: Uint8Array.from([0, 0, 1, 0]),
      regionOfTriangle: Uint8Array.from([1, 1, 1, 2]),
      regions: [{ name: 'skin' }, { name: 'eyeball_left' }],
      specularPrior: [
        { u: 0.1, v: 0.1 },
        { u: 0.1, v: 0.6 },
      ],
    } as unknown as Parameters<typeof browBandTexels>[3];
    expect(Array.from(browBandTexels(size, positions, triangle, surface))).toEqual([
      1, 1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ]);
  });
});
