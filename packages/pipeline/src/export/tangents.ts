/**
 * Per-vertex tangents (xyz + handedness w) from positions, normals and UVs by accumulating each
 * triangle's UV-gradient direction (Lengyel's method), then Gram–Schmidt against the normal.
 * UVs are in image convention (v down, as in glTF). glTF normal maps are OpenGL-style (green = up
 * in the image = decreasing v), and its bitangent = cross(normal, tangent) · w must point that way,
 * so w compares n × t with the direction of decreasing v.
 */
export function computeTangents(
  positions: Float32Array,
  normals: Float32Array,
  uvs: Float32Array,
  triangles: Uint32Array,
): Float32Array {
  const n = positions.length / 3;
  const tan = new Float64Array(n * 3);
  const bit = new Float64Array(n * 3);
  for (let t = 0; t < triangles.length; t += 3) {
    const [a, b, c] = [triangles[t], triangles[t + 1], triangles[t + 2]];
    const e1 = [0, 1, 2].map((k) => positions[b * 3 + k] - positions[a * 3 + k]);
    const e2 = [0, 1, 2].map((k) => positions[c * 3 + k] - positions[a * 3 + k]);
    const du1 = uvs[b * 2] - uvs[a * 2];
    const dv1 = uvs[b * 2 + 1] - uvs[a * 2 + 1];
    const du2 = uvs[c * 2] - uvs[a * 2];
    const dv2 = uvs[c * 2 + 1] - uvs[a * 2 + 1];
    const det = du1 * dv2 - du2 * dv1;
    if (Math.abs(det) < 1e-20) continue;
    const r = 1 / det;
    for (const v of [a, b, c]) {
      for (let k = 0; k < 3; k++) {
        tan[v * 3 + k] += (e1[k] * dv2 - e2[k] * dv1) * r;
        bit[v * 3 + k] += (e2[k] * du1 - e1[k] * du2) * r;
      }
    }
  }
  const out = new Float32Array(n * 4);
  for (let v = 0; v < n; v++) {
    const nx = normals[v * 3];
    const ny = normals[v * 3 + 1];
    const nz = normals[v * 3 + 2];
    let [tx, ty, tz] = [tan[v * 3], tan[v * 3 + 1], tan[v * 3 + 2]];
    const d = tx * nx + ty * ny + tz * nz;
    tx -= nx * d;
    ty -= ny * d;
    tz -= nz * d;
    let len = Math.hypot(tx, ty, tz);
    if (len < 1e-12) {
      // Degenerate UVs: any unit vector perpendicular to the normal.
      [tx, ty, tz] = Math.abs(nx) < 0.9 ? [0, -nz, ny] : [-nz, 0, nx];
      len = Math.hypot(tx, ty, tz);
    }
    out[v * 4] = tx / len;
    out[v * 4 + 1] = ty / len;
    out[v * 4 + 2] = tz / len;
    // Handedness: sign of (n × t) · (direction of decreasing v).
    const cx = ny * tz - nz * ty;
    const cy = nz * tx - nx * tz;
    const cz = nx * ty - ny * tx;
    out[v * 4 + 3] = cx * bit[v * 3] + cy * bit[v * 3 + 1] + cz * bit[v * 3 + 2] > 0 ? -1 : 1;
  }
  return out;
}
