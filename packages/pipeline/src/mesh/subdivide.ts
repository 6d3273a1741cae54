import type { FaceMesh } from './face-mesh.ts';

/** A sparse linear map from coarse to fine vertices: fine vertex i = Σ weights[k]·coarse[indices[k]] over k in [offsets[i], offsets[i+1]). */
export interface VertexMap {
  offsets: Uint32Array;
  indices: Uint32Array;
  weights: Float32Array;
}

/**
 * One level of Loop subdivision planned on the topology alone, so that it applies to any shape with
 * the same triangles (the fitted face changes per photo; the topology never does). Fine vertices keep
 * the coarse ones' indices first (landmark i stays vertex i), then one vertex per edge in first-seen order.
 */
export interface SubdivisionLevel {
  coarseVertexCount: number;
  fineVertexCount: number;
  triangles: Uint32Array;
  /** Loop's smoothing weights (for positions). */
  loop: VertexMap;
  /** Plain midpoints (for UVs and other attributes that must keep their layout). */
  linear: VertexMap;
}

function edgeKey(a: number, b: number): number {
  return a < b ? a * 0x100000 + b : b * 0x100000 + a;
}

class MapBuilder {
  private offsets = [0];
  private indices: number[] = [];
  private weights: number[] = [];
  row(entries: [number, number][]): void {
    for (const [i, w] of entries) {
      this.indices.push(i);
      this.weights.push(w);
    }
    this.offsets.push(this.indices.length);
  }
  done(): VertexMap {
    return {
      offsets: Uint32Array.from(this.offsets),
      indices: Uint32Array.from(this.indices),
      weights: Float32Array.from(this.weights),
    };
  }
}

/**
 * Loop (1987) with the usual boundary rules: interior edge vertex 3/8·(a + b) + 1/8·(c + d); boundary
 * edge vertex (a + b)/2; interior vertex of valence n (1 − nβ)·v + β·Σ neighbours with
 * β = (5/8 − (3/8 + cos(2π/n)/4)²)/n; boundary vertex 3/4·v + 1/8·(its two boundary neighbours); a
 * vertex with more than two boundary neighbours (two holes touching) stays where it is.
 */
export function planLoopSubdivision(triangles: Uint32Array, vertexCount: number): SubdivisionLevel {
  const edgeIndex = new Map<number, number>();
  const edgeEnds: [number, number][] = [];
  const opposite: number[][] = [];
  for (let t = 0; t < triangles.length; t += 3) {
    for (let k = 0; k < 3; k++) {
      const a = triangles[t + k];
      const b = triangles[t + ((k + 1) % 3)];
      const c = triangles[t + ((k + 2) % 3)];
      const key = edgeKey(a, b);
      let e = edgeIndex.get(key);
      if (e === undefined) {
        e = edgeEnds.length;
        edgeIndex.set(key, e);
        edgeEnds.push([a, b]);
        opposite.push([]);
      }
      opposite[e].push(c);
    }
  }
  const neighbours: Set<number>[] = Array.from({ length: vertexCount }, () => new Set());
  const boundaryNeighbours: number[][] = Array.from({ length: vertexCount }, () => []);
  edgeEnds.forEach(([a, b], e) => {
    neighbours[a].add(b);
    neighbours[b].add(a);
    if (opposite[e].length === 1) {
      boundaryNeighbours[a].push(b);
      boundaryNeighbours[b].push(a);
    }
  });

  const loop = new MapBuilder();
  const linear = new MapBuilder();
  for (let v = 0; v < vertexCount; v++) {
    linear.row([[v, 1]]);
    const bn = boundaryNeighbours[v];
    const nb = [...neighbours[v]];
    if (bn.length === 2) {
      loop.row([
        [v, 3 / 4],
        [bn[0], 1 / 8],
        [bn[1], 1 / 8],
      ]);
    } else if (bn.length > 2 || nb.length < 3) {
      loop.row([[v, 1]]);
    } else {
      const n = nb.length;
      const beta = (5 / 8 - (3 / 8 + Math.cos((2 * Math.PI) / n) / 4) ** 2) / n;
      loop.row([[v, 1 - n * beta], ...nb.map((j): [number, number] => [j, beta])]);
    }
  }
  edgeEnds.forEach(([a, b], e) => {
    linear.row([
      [a, 0.5],
      [b, 0.5],
    ]);
    const opp = opposite[e];
    if (opp.length === 2) {
      loop.row([
        [a, 3 / 8],
        [b, 3 / 8],
        [opp[0], 1 / 8],
        [opp[1], 1 / 8],
      ]);
    } else {
      loop.row([
        [a, 0.5],
        [b, 0.5],
      ]);
    }
  });

  const fine = new Uint32Array(triangles.length * 4);
  for (let t = 0, o = 0; t < triangles.length; t += 3) {
    const [a, b, c] = [triangles[t], triangles[t + 1], triangles[t + 2]];
    const ab = vertexCount + edgeIndex.get(edgeKey(a, b))!;
    const bc = vertexCount + edgeIndex.get(edgeKey(b, c))!;
    const ca = vertexCount + edgeIndex.get(edgeKey(c, a))!;
    fine.set([a, ab, ca, ab, b, bc, ca, bc, c, ab, bc, ca], o);
    o += 12;
  }
  return {
    coarseVertexCount: vertexCount,
    fineVertexCount: vertexCount + edgeEnds.length,
    triangles: fine,
    loop: loop.done(),
    linear: linear.done(),
  };
}

/** Applies a vertex map to per-vertex data with `stride` values per vertex. */
export function applyVertexMap(map: VertexMap, data: ArrayLike<number>, stride: number): Float32Array {
  const rows = map.offsets.length - 1;
  const out = new Float32Array(rows * stride);
  for (let i = 0; i < rows; i++) {
    for (let k = map.offsets[i]; k < map.offsets[i + 1]; k++) {
      const w = map.weights[k];
      const src = map.indices[k] * stride;
      for (let c = 0; c < stride; c++) out[i * stride + c] += w * data[src + c];
    }
  }
  return out;
}

/** Several levels planned once; `apply` subdivides any shape or attribute with that topology. */
export class Subdivision {
  readonly levels: SubdivisionLevel[];

  constructor(
    private readonly coarseTriangles: Uint32Array,
    vertexCount: number,
    levels: number,
  ) {
    const triangles = coarseTriangles;
    this.levels = [];
    let tris = triangles;
    let count = vertexCount;
    for (let l = 0; l < levels; l++) {
      const level = planLoopSubdivision(tris, count);
      this.levels.push(level);
      tris = level.triangles;
      count = level.fineVertexCount;
    }
  }

  get vertexCount(): number {
    return this.levels.at(-1)?.fineVertexCount ?? 0;
  }

  get triangles(): Uint32Array {
    return this.levels.at(-1)?.triangles ?? this.coarseTriangles;
  }

  /** Positions (Loop-smoothed) or any other attribute (linear midpoints, keeping e.g. the UV layout). */
  apply(data: ArrayLike<number>, stride: number, rule: 'loop' | 'linear'): Float32Array {
    let out: Float32Array = Float32Array.from(data);
    for (const level of this.levels) out = applyVertexMap(level[rule], out, stride);
    return out;
  }

  /** Loop-subdivided positions, linearly subdivided UVs. */
  mesh(coarse: FaceMesh): FaceMesh {
    if (this.levels.length === 0) return coarse;
    return {
      positions: this.apply(coarse.positions, 3, 'loop'),
      uvs: this.apply(coarse.uvs, 2, 'linear'),
      triangles: this.triangles,
    };
  }
}
