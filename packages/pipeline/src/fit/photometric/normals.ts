import { faceEdges, normalSums } from '../../mesh/normals.ts';

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
