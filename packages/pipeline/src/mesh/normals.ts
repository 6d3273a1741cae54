/**
 * Area-weighted vertex normals (the sum of the unnormalised face normals around each vertex, then
 * normalised): counter-clockwise triangles give outward normals. Isolated vertices get (0, 0, 0).
 */
export function vertexNormals(positions: ArrayLike<number>, triangles: Uint32Array): Float32Array {
  return normalsFromSums(normalSums(positions, triangles));
}

/**
 * Per vertex, the sum of its faces' (b − a) × (c − a) [V·3] (float64, faces in order), the part of
 * vertexNormals before it normalises: the photometric fit keeps the sums for the normals' adjoint.
 */
export function normalSums(positions: ArrayLike<number>, triangles: Uint32Array): Float64Array {
  const acc = new Float64Array(positions.length);
  const edges = new Float64Array(6);
  for (let t = 0; t < triangles.length; t += 3) {
    const [a, b, c] = [3 * triangles[t], 3 * triangles[t + 1], 3 * triangles[t + 2]];
    faceEdges(positions, a, b, c, edges);
    const [e1x, e1y, e1z, e2x, e2y, e2z] = edges;
    const nx = e1y * e2z - e1z * e2y;
    const ny = e1z * e2x - e1x * e2z;
    const nz = e1x * e2y - e1y * e2x;
    acc[a] += nx;
    acc[a + 1] += ny;
    acc[a + 2] += nz;
    acc[b] += nx;
    acc[b + 1] += ny;
    acc[b + 2] += nz;
    acc[c] += nx;
    acc[c + 1] += ny;
    acc[c + 2] += nz;
  }
  return acc;
}

/** A face's edges b − a and c − a into out [6] (a, b, c: offsets of its vertices in positions). */
export function faceEdges(
  positions: ArrayLike<number>,
  a: number,
  b: number,
  c: number,
  out: Float64Array,
): void {
  for (let k = 0; k < 3; k++) {
    out[k] = positions[b + k] - positions[a + k];
    out[3 + k] = positions[c + k] - positions[a + k];
  }
}

/** Unit normals from normalSums (zero where the sum is zero). */
export function normalsFromSums(acc: Float64Array): Float32Array {
  const out = new Float32Array(acc.length);
  for (let v = 0; v < acc.length; v += 3) {
    const len = Math.hypot(acc[v], acc[v + 1], acc[v + 2]);
    if (len > 0) for (let k = 0; k < 3; k++) out[v + k] = acc[v + k] / len;
  }
  return out;
}
