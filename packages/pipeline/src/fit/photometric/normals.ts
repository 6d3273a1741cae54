/**
 * Per vertex, the sum of its faces' (b − a) × (c − a) [V·3]: mesh/normals.ts' vertexNormals before it
 * normalises, in the same order (so the same normals), in flat loops: the fit runs it at every step.
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
function faceEdges(positions: ArrayLike<number>, a: number, b: number, c: number, out: Float64Array): void {
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

/**
 * Adjoint of mesh/normals.ts vertexNormals (area-weighted sums of face normals, normalised): given
 * ∂L/∂n per vertex [V·3], returns ∂L/∂positions [V·3]. With m = Σ_faces (b − a) × (c − a) and
 * n = m / |m|: ∂L/∂m = (g − n (n·g)) / |m|, and a face's cross product c = e1 × e2 sends e2 × ∂L/∂c
 * to b, ∂L/∂c × e1 to c and minus both to a. `sums`: normalSums of the positions, if already at hand.
 */
export function vertexNormalsBackward(
  positions: ArrayLike<number>,
  triangles: Uint32Array,
  gradNormals: ArrayLike<number>,
  sums: Float64Array = normalSums(positions, triangles),
): Float64Array {
  const n = positions.length / 3;
  const gm = new Float64Array(n * 3);
  for (let v = 0; v < 3 * n; v += 3) {
    const [gx, gy, gz] = [gradNormals[v], gradNormals[v + 1], gradNormals[v + 2]];
    if (gx === 0 && gy === 0 && gz === 0) continue;
    const [mx, my, mz] = [sums[v], sums[v + 1], sums[v + 2]];
    const len = Math.hypot(mx, my, mz);
    if (len === 0) continue;
    const dot = (mx * gx + my * gy + mz * gz) / len;
    gm[v] = (gx - (mx / len) * dot) / len;
    gm[v + 1] = (gy - (my / len) * dot) / len;
    gm[v + 2] = (gz - (mz / len) * dot) / len;
  }
  const out = new Float64Array(n * 3);
  const edges = new Float64Array(6);
  for (let t = 0; t < triangles.length; t += 3) {
    const [a, b, c] = [3 * triangles[t], 3 * triangles[t + 1], 3 * triangles[t + 2]];
    const gx = gm[a] + gm[b] + gm[c];
    const gy = gm[a + 1] + gm[b + 1] + gm[c + 1];
    const gz = gm[a + 2] + gm[b + 2] + gm[c + 2];
    if (gx === 0 && gy === 0 && gz === 0) continue;
    faceEdges(positions, a, b, c, edges);
    const [e1x, e1y, e1z, e2x, e2y, e2z] = edges;
    // e2 × g to b, g × e1 to c, minus both to a.
    const [bx, by, bz] = [e2y * gz - e2z * gy, e2z * gx - e2x * gz, e2x * gy - e2y * gx];
    const [cx, cy, cz] = [gy * e1z - gz * e1y, gz * e1x - gx * e1z, gx * e1y - gy * e1x];
    out[b] += bx;
    out[b + 1] += by;
    out[b + 2] += bz;
    out[c] += cx;
    out[c + 1] += cy;
    out[c + 2] += cz;
    out[a] -= bx + cx;
    out[a + 1] -= by + cy;
    out[a + 2] -= bz + cz;
  }
  return out;
}

/** ∂Y_k/∂n of lighting/sh.ts's basis at a normal, [9·3] (k-major). */
export function shBasisGradient(x: number, y: number, z: number, c: ArrayLike<number>): number[] {
  return [
    0,
    0,
    0,
    0,
    c[1],
    0,
    0,
    0,
    c[2],
    c[3],
    0,
    0,
    c[4] * y,
    c[4] * x,
    0,
    0,
    c[5] * z,
    c[5] * y,
    0,
    0,
    6 * c[6] * z,
    c[7] * z,
    0,
    c[7] * x,
    2 * c[8] * x,
    -2 * c[8] * y,
    0,
  ];
}
