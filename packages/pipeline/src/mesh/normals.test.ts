import { describe, expect, it } from 'vitest';
import { canonicalFace } from './face-mesh.ts';
import { normalsFromSums, normalSums, vertexNormals } from './normals.ts';

/** vertexNormals as it was written before the sums were split out: per face, then normalised. */
function perFaceReference(positions: ArrayLike<number>, triangles: Uint32Array): Float32Array {
  const n = positions.length / 3;
  const acc = new Float64Array(n * 3);
  for (let t = 0; t < triangles.length; t += 3) {
    const [a, b, c] = [triangles[t], triangles[t + 1], triangles[t + 2]];
    const e1 = [0, 1, 2].map((k) => positions[3 * b + k] - positions[3 * a + k]);
    const e2 = [0, 1, 2].map((k) => positions[3 * c + k] - positions[3 * a + k]);
    const nx = e1[1] * e2[2] - e1[2] * e2[1];
    const ny = e1[2] * e2[0] - e1[0] * e2[2];
    const nz = e1[0] * e2[1] - e1[1] * e2[0];
    for (const v of [a, b, c]) {
      acc[3 * v] += nx;
      acc[3 * v + 1] += ny;
      acc[3 * v + 2] += nz;
    }
  }
  const out = new Float32Array(n * 3);
  for (let v = 0; v < n; v++) {
    const len = Math.hypot(acc[3 * v], acc[3 * v + 1], acc[3 * v + 2]);
    if (len > 0) for (let k = 0; k < 3; k++) out[3 * v + k] = acc[3 * v + k] / len;
  }
  return out;
}

describe('vertexNormals = normalsFromSums(normalSums(…))', () => {
  it('gives the per-face reference’s normals bit for bit on the canonical face and a jittered copy', () => {
    const face = canonicalFace();
    const jittered = Float32Array.from(face.positions, (x, i) => x + 0.01 * Math.sin(1.7 * i));
    for (const positions of [face.positions, jittered]) {
      const want = perFaceReference(positions, face.triangles);
      const got = vertexNormals(positions, face.triangles);
      expect(Buffer.from(got.buffer).equals(Buffer.from(want.buffer))).toBe(true);
      expect(normalsFromSums(normalSums(positions, face.triangles))).toEqual(got);
    }
  });

  it('leaves an isolated vertex at (0, 0, 0)', () => {
    const positions = [0, 0, 0, 1, 0, 0, 0, 1, 0, 5, 5, 5];
    expect(Array.from(vertexNormals(positions, Uint32Array.from([0, 1, 2])))).toEqual([
      0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 0,
    ]);
  });
});
