// Mirror symmetry of the head across its symmetry plane x = 0 (ICT's meshes are built symmetric).

/**
 * For each of `vertices` (ids into positions [V·3]), the id among the same vertices nearest to its
 * reflection (−x, y, z), found through a uniform grid of cell `cell` (model units); `distance` is how
 * far that match is from the exact reflection (0 on a symmetric mesh).
 */
export function mirrorVertices(
  positions: ArrayLike<number>,
  vertices: ArrayLike<number>,
  cell = 1,
): { mirror: Map<number, number>; maxDistance: number } {
  const key = (x: number, y: number, z: number) =>
    `${Math.floor(x / cell)},${Math.floor(y / cell)},${Math.floor(z / cell)}`;
  const grid = new Map<string, number[]>();
  for (let i = 0; i < vertices.length; i++) {
    const v = vertices[i];
    const k = key(positions[3 * v], positions[3 * v + 1], positions[3 * v + 2]);
    let list = grid.get(k);
    if (!list) grid.set(k, (list = []));
    list.push(v);
  }
  const mirror = new Map<number, number>();
  let maxDistance = 0;
  for (let i = 0; i < vertices.length; i++) {
    const v = vertices[i];
    const [x, y, z] = [-positions[3 * v], positions[3 * v + 1], positions[3 * v + 2]];
    let best = v;
    let bestD = Infinity;
    // Search shells of cells outwards until a match is closer than any unsearched cell can be.
    for (let r = 0; r < 64 && bestD > ((r - 1) * cell) ** 2; r++) {
      const [cx, cy, cz] = [Math.floor(x / cell), Math.floor(y / cell), Math.floor(z / cell)];
      for (let a = -r; a <= r; a++)
        for (let b = -r; b <= r; b++)
          for (let c = -r; c <= r; c++) {
            if (Math.max(Math.abs(a), Math.abs(b), Math.abs(c)) !== r) continue;
            for (const u of grid.get(`${cx + a},${cy + b},${cz + c}`) ?? []) {
              const d =
                (positions[3 * u] - x) ** 2 +
                (positions[3 * u + 1] - y) ** 2 +
                (positions[3 * u + 2] - z) ** 2;
              if (d < bestD) [best, bestD] = [u, d];
            }
          }
    }
    mirror.set(v, best);
    maxDistance = Math.max(maxDistance, Math.sqrt(bestD));
  }
  return { mirror, maxDistance };
}

/**
 * The mirror image of each split vertex of a UV mesh: among the split copies of its model vertex's
 * mirror, the one used by the mirror images of its triangles (a triangle (a, b, c) mirrors to the one
 * on the mirrored model vertices), so that interpolating mirror UVs over a triangle stays on the
 * mirror triangle's side of any UV seam. Vertices whose triangles have no mirror triangle take the
 * first copy. Returns split vertex ids [N].
 */
export function mirrorSplitVertices(
  sourceVertex: Uint32Array,
  triangles: Uint32Array,
  modelMirror: Map<number, number>,
): Uint32Array {
  const n = sourceVertex.length;
  const byModel = new Map<string, number>();
  const sorted = (a: number, b: number, c: number) => [a, b, c].sort((x, y) => x - y).join(',');
  for (let t = 0; t < triangles.length; t += 3) {
    const [a, b, c] = [triangles[t], triangles[t + 1], triangles[t + 2]];
    byModel.set(sorted(sourceVertex[a], sourceVertex[b], sourceVertex[c]), t);
  }
  const votes = new Map<number, Map<number, number>>();
  for (let t = 0; t < triangles.length; t += 3) {
    const corners = [triangles[t], triangles[t + 1], triangles[t + 2]];
    const mirrored = corners.map((v) => modelMirror.get(sourceVertex[v]) ?? sourceVertex[v]);
    const m = byModel.get(sorted(mirrored[0], mirrored[1], mirrored[2]));
    if (m === undefined) continue;
    const mCorners = [triangles[m], triangles[m + 1], triangles[m + 2]];
    corners.forEach((v, k) => {
      const target = mCorners.find((w) => sourceVertex[w] === mirrored[k]);
      if (target === undefined) return;
      let tally = votes.get(v);
      if (!tally) votes.set(v, (tally = new Map()));
      tally.set(target, (tally.get(target) ?? 0) + 1);
    });
  }
  const firstCopy = new Map<number, number>();
  for (let v = n - 1; v >= 0; v--) firstCopy.set(sourceVertex[v], v);
  const out = new Uint32Array(n);
  for (let v = 0; v < n; v++) {
    const tally = votes.get(v);
    if (tally) {
      let best = -1;
      let bestCount = 0;
      for (const [w, count] of tally) if (count > bestCount) [best, bestCount] = [w, count];
      out[v] = best;
    } else {
      const m = modelMirror.get(sourceVertex[v]) ?? sourceVertex[v];
      out[v] = firstCopy.get(m) ?? v;
    }
  }
  return out;
}
