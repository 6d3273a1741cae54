import { describe, expect, it } from 'vitest';
import type { TexturedMesh } from '@avatarme/pipeline/export/mesh.ts';
import { cheekTexelsPerMm } from './texel-density.ts';

describe('cheekTexelsPerMm', () => {
  it('is √(texels² / mm²) on the cheek patch of the face cell', () => {
    // A 20 cm × 20 cm plane at z = 0 (a 2×2 grid of quads) with a nose-tip vertex 1 cm in front,
    // mapped onto the face cell's top-left 0.4 × 0.4 of the atlas: 0.4·256 texels over 200 mm.
    const positions: number[] = [];
    const uvs: number[] = [];
    for (let j = 0; j <= 20; j++)
      for (let i = 0; i <= 20; i++) {
        positions.push(-0.1 + i * 0.01, 0.1 - j * 0.01, 0);
        uvs.push((0.4 * i) / 20, (0.4 * j) / 20);
      }
    const triangles: number[] = [];
    for (let j = 0; j < 20; j++)
      for (let i = 0; i < 20; i++) {
        const a = j * 21 + i;
        triangles.push(a, a + 21, a + 1, a + 1, a + 21, a + 22);
      }
    positions[3 * 220 + 2] = 0.01; // the centre vertex is the nose tip
    const mesh: TexturedMesh = {
      positions: new Float32Array(positions),
      uvs: new Float32Array(uvs),
      triangles: new Uint32Array(triangles),
      metresPerUnit: 1,
    };
    expect(cheekTexelsPerMm(mesh, 256)).toBeCloseTo((0.4 * 256) / 200, 6);
    expect(cheekTexelsPerMm(mesh, 1024)).toBeCloseTo((0.4 * 1024) / 200, 6);
  });
});
