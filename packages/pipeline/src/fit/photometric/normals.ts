import { cross, sub, vertexAt } from '../../math/vec3.ts';

/**
 * Adjoint of mesh/normals.ts vertexNormals (area-weighted sums of face normals, normalised): given
 * ∂L/∂n per vertex [V·3], returns ∂L/∂positions [V·3]. With m = Σ_faces (b − a) × (c − a) and
 * n = m / |m|: ∂L/∂m = (g − n (n·g)) / |m|, and a face's cross product c = e1 × e2 sends e2 × ∂L/∂c
 * to b, ∂L/∂c × e1 to c and minus both to a.
 */
export function vertexNormalsBackward(
  positions: ArrayLike<number>,
  triangles: Uint32Array,
  gradNormals: ArrayLike<number>,
): Float64Array {
  const n = positions.length / 3;
  const acc = new Float64Array(n * 3);
  const face = (t: number) => {
    const [a, b, c] = [triangles[t], triangles[t + 1], triangles[t + 2]];
    const origin = vertexAt(positions, a);
    const e1 = sub(vertexAt(positions, b), origin);
    const e2 = sub(vertexAt(positions, c), origin);
    return { a, b, c, e1, e2 };
  };
  for (let t = 0; t < triangles.length; t += 3) {
    const { a, b, c, e1, e2 } = face(t);
    const cr = cross(e1, e2);
    for (const v of [a, b, c]) for (let k = 0; k < 3; k++) acc[3 * v + k] += cr[k];
  }
  const gm = new Float64Array(n * 3);
  for (let v = 0; v < n; v++) {
    const m = [acc[3 * v], acc[3 * v + 1], acc[3 * v + 2]];
    const len = Math.hypot(m[0], m[1], m[2]);
    if (len === 0) continue;
    const g = [gradNormals[3 * v], gradNormals[3 * v + 1], gradNormals[3 * v + 2]];
    if (g[0] === 0 && g[1] === 0 && g[2] === 0) continue;
    const dot = (m[0] * g[0] + m[1] * g[1] + m[2] * g[2]) / len;
    for (let k = 0; k < 3; k++) gm[3 * v + k] = (g[k] - (m[k] / len) * dot) / len;
  }
  const out = new Float64Array(n * 3);
  for (let t = 0; t < triangles.length; t += 3) {
    const { a, b, c, e1, e2 } = face(t);
    const g = [0, 1, 2].map((k) => gm[3 * a + k] + gm[3 * b + k] + gm[3 * c + k]);
    if (g[0] === 0 && g[1] === 0 && g[2] === 0) continue;
    const gb = cross(e2, g);
    const gc = cross(g, e1);
    for (let k = 0; k < 3; k++) {
      out[3 * b + k] += gb[k];
      out[3 * c + k] += gc[k];
      out[3 * a + k] -= gb[k] + gc[k];
    }
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
