/**
 * Which triangle covers each texel of a UV layout, and where in it: a CPU rasteriser over texel
 * centres (UVs in image convention, v down). Used to paint per-vertex quantities into texture maps.
 */
export interface UvRaster {
  size: number;
  /** Triangle index per texel, −1 where no triangle covers the texel centre. */
  triangle: Int32Array;
  /** Barycentric weights of the triangle's three corners per texel [size²·3]. */
  weights: Float32Array;
}

export function rasteriseUv(uvs: Float32Array, triangles: Uint32Array, size: number): UvRaster {
  const triangle = new Int32Array(size * size).fill(-1);
  const weights = new Float32Array(size * size * 3);
  for (let t = 0; t < triangles.length / 3; t++) {
    const [a, b, c] = [triangles[3 * t], triangles[3 * t + 1], triangles[3 * t + 2]];
    const [ax, ay, bx, by, cx, cy] = [
      uvs[2 * a],
      uvs[2 * a + 1],
      uvs[2 * b],
      uvs[2 * b + 1],
      uvs[2 * c],
      uvs[2 * c + 1],
    ].map((v) => v * size);
    const det = (bx - ax) * (cy - ay) - (cx - ax) * (by - ay);
    if (Math.abs(det) < 1e-12) continue;
    const x0 = Math.max(0, Math.floor(Math.min(ax, bx, cx) - 0.5));
    const x1 = Math.min(size - 1, Math.ceil(Math.max(ax, bx, cx) - 0.5));
    const y0 = Math.max(0, Math.floor(Math.min(ay, by, cy) - 0.5));
    const y1 = Math.min(size - 1, Math.ceil(Math.max(ay, by, cy) - 0.5));
    for (let y = y0; y <= y1; y++)
      for (let x = x0; x <= x1; x++) {
        const px = x + 0.5;
        const py = y + 0.5;
        const wb = ((px - ax) * (cy - ay) - (cx - ax) * (py - ay)) / det;
        const wc = ((bx - ax) * (py - ay) - (px - ax) * (by - ay)) / det;
        const wa = 1 - wb - wc;
        if (wa < -1e-6 || wb < -1e-6 || wc < -1e-6) continue;
        const i = y * size + x;
        triangle[i] = t;
        weights.set([wa, wb, wc], 3 * i);
      }
  }
  return { size, triangle, weights };
}

/** A per-vertex quantity (`channels` values per vertex) at every covered texel; 0 elsewhere. */
export function interpolate(
  raster: UvRaster,
  triangles: Uint32Array,
  values: ArrayLike<number>,
  channels: number,
): Float32Array {
  const out = new Float32Array(raster.size * raster.size * channels);
  for (let i = 0; i < raster.triangle.length; i++) {
    const t = raster.triangle[i];
    if (t < 0) continue;
    for (let k = 0; k < 3; k++) {
      const v = triangles[3 * t + k];
      const w = raster.weights[3 * i + k];
      for (let c = 0; c < channels; c++) out[i * channels + c] += w * values[v * channels + c];
    }
  }
  return out;
}

/**
 * Spreads covered texels into the uncovered ones around them (`passes` rings), so bilinear taps at
 * UV island borders do not read the empty gutter.
 */
export function dilate(
  data: Float32Array,
  covered: Uint8Array,
  size: number,
  channels: number,
  passes: number,
): void {
  const have = Uint8Array.from(covered);
  for (let p = 0; p < passes; p++) {
    const next = Uint8Array.from(have);
    for (let y = 0; y < size; y++)
      for (let x = 0; x < size; x++) {
        const i = y * size + x;
        if (have[i]) continue;
        const sum = new Array(channels).fill(0);
        let n = 0;
        for (const [dx, dy] of [
          [1, 0],
          [-1, 0],
          [0, 1],
          [0, -1],
        ]) {
          const [u, v] = [x + dx, y + dy];
          if (u < 0 || v < 0 || u >= size || v >= size || !have[v * size + u]) continue;
          for (let c = 0; c < channels; c++) sum[c] += data[(v * size + u) * channels + c];
          n++;
        }
        if (!n) continue;
        for (let c = 0; c < channels; c++) data[i * channels + c] = sum[c] / n;
        next[i] = 1;
      }
    have.set(next);
  }
}
