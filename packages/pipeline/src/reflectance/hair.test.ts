import { describe, expect, it } from 'vitest';
import type { SpecularBlob } from './analytic.ts';
import { hairTexels } from './analytic-inputs.ts';

const S = 16;

/** A flat layout: texel (col, row) at x = col − 8, y = 8 − row, every texel one non-skin triangle of the skin region. */
function layout() {
  const positionMap = new Float32Array(S * S * 3);
  for (let r = 0; r < S; r++) for (let c = 0; c < S; c++) positionMap.set([c - 8, 8 - r, 0], 3 * (r * S + c));
  const blob = (col: number, row: number): SpecularBlob => ({
    u: (col + 0.5) / S,
    v: (row + 0.5) / S,
    radius: 0.1,
    amplitude: 0,
  });
  // Nose tip, bridge (y = 0), forehead (y = 5), chin, then the cheeks at x = ±3 last.
  const prior = [blob(8, 12), blob(8, 8), blob(8, 3), blob(8, 14), blob(5, 10), blob(11, 10)];
  const surface = {
    skinOfTriangle: new Uint8Array([0]),
    occludableOfTriangle: new Uint8Array([0]),
    regionOfTriangle: new Uint8Array([1]),
    regions: [{ name: 'skin', band: 1 }],
    specularPrior: prior,
  } as unknown as Parameters<typeof hairTexels>[2];
  const lay = {
    triangle: new Int32Array(S * S),
    visibility: new Float32Array(S * S),
    mirrorOf: new Int32Array(S * S),
  };
  return { positionMap, surface, lay };
}

describe('hair texels', () => {
  it('marks the brows between bridge and forehead no wider than the cheeks', () => {
    const { positionMap, surface, lay } = layout();
    const hair = hairTexels({ size: S, positionMap }, lay, surface);
    for (let r = 0; r < S; r++)
      for (let c = 0; c < S; c++) {
        const [x, y] = [c - 8, 8 - r];
        const brow = y > 0 && y < 5 && Math.abs(x) < 3.6;
        expect(hair[r * S + c], `texel (${c}, ${r})`).toBe(brow ? 1 : 0);
      }
  });
});
