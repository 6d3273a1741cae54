/** CPU meaning of accumulateVisibility: the same test per vertex, float64. */
export function accumulateVisibilityReference(
  clip: Float32Array,
  raster: Float32Array,
  normals: Float32Array,
  acc: Float32Array,
  o: { width: number; height: number; bias: number; direction: readonly number[] },
): Float32Array {
  const out = acc.slice();
  const V = clip.length / 4;
  for (let v = 0; v < V; v++) {
    const weight = Math.max(
      normals[v * 4] * o.direction[0] +
        normals[v * 4 + 1] * o.direction[1] +
        normals[v * 4 + 2] * o.direction[2],
      0,
    );
    const w = clip[v * 4 + 3];
    const [nx, ny, nz] = [clip[v * 4] / w, clip[v * 4 + 1] / w, clip[v * 4 + 2] / w];
    const px = Math.floor((nx + 1) * 0.5 * o.width);
    const py = Math.floor((ny + 1) * 0.5 * o.height);
    let farthest = -2;
    for (let dy = -1; dy <= 1; dy++)
      for (let dx = -1; dx <= 1; dx++) {
        const [x, y] = [px + dx, py + dy];
        if (x < 0 || y < 0 || x >= o.width || y >= o.height) {
          farthest = 2;
          continue;
        }
        const i = (y * o.width + x) * 4;
        farthest = Math.max(farthest, raster[i + 3] > 0 ? raster[i + 2] : 2);
      }
    const visible = nz <= farthest + o.bias ? 1 : 0;
    out[v * 4] += visible * weight;
    out[v * 4 + 1] += weight;
  }
  return out;
}

/** Fibonacci-sphere directions: near-uniform, deterministic. */
export function sphereDirections(count: number): [number, number, number][] {
  const golden = Math.PI * (3 - Math.sqrt(5));
  return Array.from({ length: count }, (_, i) => {
    const y = 1 - (2 * (i + 0.5)) / count;
    const r = Math.sqrt(1 - y * y);
    return [Math.cos(golden * i) * r, y, Math.sin(golden * i) * r];
  });
}
