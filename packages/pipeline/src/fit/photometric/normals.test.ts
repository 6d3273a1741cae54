import { describe, expect, it } from 'vitest';
import { compareArrays, randomArray } from '@avatarme/testing';
import { shBasis, SH_CONSTANTS } from '../../lighting/sh.ts';
import { vertexNormals } from '../../mesh/normals.ts';
import { shBasisGradient, vertexNormalsBackward } from './normals.ts';

describe('vertex normals and SH basis: adjoints against central differences', () => {
  it('vertexNormalsBackward matches central differences of vertexNormals on a jittered grid', () => {
    const n = 4;
    const pos = new Float64Array((n + 1) * (n + 1) * 3);
    const jitter = randomArray(pos.length, 3, -0.2, 0.2);
    for (let j = 0; j <= n; j++)
      for (let i = 0; i <= n; i++) {
        const v = j * (n + 1) + i;
        pos.set([i + jitter[3 * v], j + jitter[3 * v + 1], 0.3 * Math.sin(i + j) + jitter[3 * v + 2]], 3 * v);
      }
    const tris: number[] = [];
    for (let j = 0; j < n; j++)
      for (let i = 0; i < n; i++) {
        const a = j * (n + 1) + i;
        tris.push(a, a + 1, a + n + 2, a, a + n + 2, a + n + 1);
      }
    const triangles = Uint32Array.from(tris);
    const g = randomArray(pos.length, 4);
    const loss = () => vertexNormals(pos, triangles).reduce((s, x, i) => s + x * g[i], 0);
    const fd = Array.from(pos, (_, i) => {
      const x0 = pos[i];
      pos[i] = x0 + 1e-4;
      const lp = loss();
      pos[i] = x0 - 1e-4;
      const lm = loss();
      pos[i] = x0;
      return (lp - lm) / 2e-4;
    });
    // vertexNormals returns float32 (relative ~6e-8 of values ≤ 1, summed over 75 terms ≲ 5e-6 of the
    // loss) over 2·eps = 2e-4: FD noise ≲ 3e-2 in the worst case, ~1e-3 typically. atol 2e-2.
    const cmp = compareArrays(vertexNormalsBackward(pos, triangles, g), fd, { atol: 2e-2 });
    expect(cmp.ok, cmp.message).toBe(true);
    expect(Math.max(...fd.map(Math.abs))).toBeGreaterThan(0.1);
  });

  it('shBasisGradient matches central differences of shBasis', () => {
    const [x, y, z] = [0.3, -0.5, 0.81];
    const got = shBasisGradient(x, y, z, SH_CONSTANTS);
    const p = [x, y, z];
    const fd: number[] = [];
    for (let k = 0; k < 9; k++)
      for (let d = 0; d < 3; d++) {
        const hi = [...p];
        const lo = [...p];
        hi[d] += 1e-6;
        lo[d] -= 1e-6;
        fd.push((shBasis(hi[0], hi[1], hi[2])[k] - shBasis(lo[0], lo[1], lo[2])[k]) / 2e-6);
      }
    // Quadratic polynomials in float64: central differences are exact up to rounding (~1e-10 / 1e-6).
    const cmp = compareArrays(got, fd, { atol: 1e-6 });
    expect(cmp.ok, cmp.message).toBe(true);
  });
});
