/**
 * Area-weighted vertex normals (the sum of the unnormalised face normals around each vertex, then
 * normalised): counter-clockwise triangles give outward normals. Isolated vertices get (0, 0, 0).
 */
export function vertexNormals(positions: ArrayLike<number>, triangles: Uint32Array): Float32Array {
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
