import { applySimilarity, fitSimilarity, type Similarity } from '@avatarme/pipeline/fit/similarity.ts';
import { median, mean } from './metrics.ts';

const cellKey = (x: number, y: number, z: number) => ((x + 1024) * 2048 + (y + 1024)) * 2048 + (z + 1024);

/** A uniform grid over points for nearest-neighbour queries. */
class PointGrid {
  private cells = new Map<number, number[]>();
  constructor(
    private points: ArrayLike<number>,
    private cell: number,
  ) {
    for (let i = 0; i < points.length / 3; i++) {
      const key = cellKey(...this.coords(points[3 * i], points[3 * i + 1], points[3 * i + 2]));
      let c = this.cells.get(key);
      if (!c) this.cells.set(key, (c = []));
      c.push(i);
    }
  }
  private coords(x: number, y: number, z: number): [number, number, number] {
    return [Math.floor(x / this.cell), Math.floor(y / this.cell), Math.floor(z / this.cell)];
  }
  /** Nearest point in the (2·rings+1)³ cells around the query, or index −1. */
  nearest(x: number, y: number, z: number, rings = 1): { index: number; distance: number } {
    const [cx, cy, cz] = this.coords(x, y, z);
    let best = -1;
    let bd = Infinity;
    for (let i = -rings; i <= rings; i++)
      for (let j = -rings; j <= rings; j++)
        for (let k = -rings; k <= rings; k++) {
          const c = this.cells.get(cellKey(cx + i, cy + j, cz + k));
          if (!c) continue;
          for (const p of c) {
            const d =
              (this.points[3 * p] - x) ** 2 +
              (this.points[3 * p + 1] - y) ** 2 +
              (this.points[3 * p + 2] - z) ** 2;
            if (d < bd) {
              bd = d;
              best = p;
            }
          }
        }
    return { index: best, distance: Math.sqrt(bd) };
  }
}

/** Nose tip: the most forward (+z) point among the given ones. */
function noseTip(points: ArrayLike<number>): [number, number, number] {
  let best = 0;
  for (let i = 1; i < points.length / 3; i++) if (points[3 * i + 2] > points[3 * best + 2]) best = i;
  return [points[3 * best], points[3 * best + 1], points[3 * best + 2]];
}

function thin(points: Float32Array, max: number): Float32Array {
  const n = points.length / 3;
  const step = Math.max(1, Math.ceil(n / max));
  const out = new Float32Array(Math.ceil(n / step) * 3);
  for (let i = 0, j = 0; i < n; i += step, j++) out.set(points.subarray(3 * i, 3 * i + 3), 3 * j);
  return out;
}

export interface AlignOptions {
  /** Initial scale from ours to the subject (ratio of their units). */
  scale: number;
  iterations?: number;
  /** Search radius of the correspondences, subject units (default 3 cm in metres). */
  radius?: number;
}

/**
 * Similarity (scale, rotation, translation) that maps our mesh onto the subject's face: initialised by
 * the units' ratio and the nose tips (both meshes are frontal, y up, +z towards the viewer: glTF's
 * "front faces +Z" and the pipeline's model space), then iterative closest points with Horn/Umeyama
 * steps on pairs found both ways — each subject face point to our nearest vertex, and each of our
 * vertices whose nearest subject vertex is on the face to that vertex — the farthest 20 % of each
 * rejected (trimmed ICP, Chetverikov et al. 2002). Pairs both ways keep the scale from drifting; the
 * trimming lets a face-only mesh align without the rest of the head.
 */
export function alignSimilarity(
  oursPositions: Float32Array,
  subjectPositions: Float32Array,
  subjectFace: ArrayLike<number>,
  options: AlignOptions,
): Similarity {
  const radius = options.radius ?? 0.03;
  const ours = thin(oursPositions, 2000);
  const faceIds: number[] = [];
  for (let i = 0; i < subjectFace.length; i++) if (subjectFace[i] > 0.5) faceIds.push(i);
  const step = Math.max(1, Math.ceil(faceIds.length / 1000));
  const face = faceIds.filter((_, j) => j % step === 0);
  const s0 = options.scale;
  const tipOurs = noseTip(ours.map((v) => v * s0));
  const tipSubject = noseTip(
    Float32Array.from(
      face.flatMap((i) => [
        subjectPositions[3 * i],
        subjectPositions[3 * i + 1],
        subjectPositions[3 * i + 2],
      ]),
    ),
  );
  const subjectGrid = new PointGrid(subjectPositions, radius / 3);
  const trimmed = (pairs: { s: number; o: number; d: number }[]) =>
    pairs.sort((a, b) => a.d - b.d).slice(0, Math.floor(pairs.length * 0.8));
  /** ICP steps from `sim`; returns the last similarity and its mean trimmed pair distance. */
  const icp = (start: Similarity, iterations: number) => {
    let sim = start;
    let cost = Infinity;
    for (let it = 0; it < iterations; it++) {
      const moved = applySimilarity(sim, ours);
      const grid = new PointGrid(moved, radius / 3);
      const toOurs: { s: number; o: number; d: number }[] = [];
      for (const i of face) {
        const q = grid.nearest(
          subjectPositions[3 * i],
          subjectPositions[3 * i + 1],
          subjectPositions[3 * i + 2],
        );
        if (q.index >= 0) toOurs.push({ s: i, o: q.index, d: q.distance });
      }
      const toSubject: { s: number; o: number; d: number }[] = [];
      for (let j = 0; j < moved.length / 3; j++) {
        const q = subjectGrid.nearest(moved[3 * j], moved[3 * j + 1], moved[3 * j + 2]);
        if (q.index >= 0 && subjectFace[q.index] > 0.5) toSubject.push({ s: q.index, o: j, d: q.distance });
      }
      const kept = [...trimmed(toOurs), ...trimmed(toSubject)];
      // Few pairs means little overlap: as bad as no match at the search radius for every point.
      cost =
        (kept.reduce((a, p) => a + p.d, 0) + Math.max(0, face.length - kept.length) * radius) / face.length;
      if (kept.length < 10) break;
      const src = new Float64Array(kept.length * 3);
      const dst = new Float64Array(kept.length * 3);
      kept.forEach((p, j) => {
        for (let k = 0; k < 3; k++) {
          src[3 * j + k] = ours[3 * p.o + k];
          dst[3 * j + k] = subjectPositions[3 * p.s + k];
        }
      });
      sim = fitSimilarity(src, dst);
    }
    return { sim, cost };
  };
  // The most forward point is not always the nose tip (a chin or lips can reach further): start also
  // 2.5 cm above and below it, and from no translation at all (two meshes of one model share its
  // frame); keep the start that ends closest.
  const step0 = radius / 1.2;
  const starts = [0, step0, -step0].map((dy): Similarity => ({
    scale: s0,
    rotation: [1, 0, 0, 0, 1, 0, 0, 0, 1],
    translation: [tipSubject[0] - tipOurs[0], tipSubject[1] - tipOurs[1] + dy, tipSubject[2] - tipOurs[2]],
  }));
  starts.push({ scale: s0, rotation: [1, 0, 0, 0, 1, 0, 0, 0, 1], translation: [0, 0, 0] });
  const tried = starts.map((s) => icp(s, 6));
  const best = tried.reduce((a, b) => (b.cost < a.cost ? b : a));
  const sim = icp(best.sim, options.iterations ?? 16).sim;
  return sim;
}

/** Closest point on triangle abc to p (Ericson, "Real-Time Collision Detection", 2005, §5.1.5). */
export function closestOnTriangle(p: number[], a: number[], b: number[], c: number[]): number[] {
  const sub = (x: number[], y: number[]) => [x[0] - y[0], x[1] - y[1], x[2] - y[2]];
  const dot = (x: number[], y: number[]) => x[0] * y[0] + x[1] * y[1] + x[2] * y[2];
  const at = (o: number[], d1: number[], s: number, d2: number[], t: number) =>
    [0, 1, 2].map((k) => o[k] + s * d1[k] + t * d2[k]);
  const ab = sub(b, a);
  const ac = sub(c, a);
  const ap = sub(p, a);
  const d1 = dot(ab, ap);
  const d2 = dot(ac, ap);
  if (d1 <= 0 && d2 <= 0) return a;
  const bp = sub(p, b);
  const d3 = dot(ab, bp);
  const d4 = dot(ac, bp);
  if (d3 >= 0 && d4 <= d3) return b;
  const vc = d1 * d4 - d3 * d2;
  if (vc <= 0 && d1 >= 0 && d3 <= 0) return at(a, ab, d1 / (d1 - d3), ac, 0);
  const cp = sub(p, c);
  const d5 = dot(ab, cp);
  const d6 = dot(ac, cp);
  if (d6 >= 0 && d5 <= d6) return c;
  const vb = d5 * d2 - d1 * d6;
  if (vb <= 0 && d2 >= 0 && d6 <= 0) return at(a, ac, d2 / (d2 - d6), ab, 0);
  const va = d3 * d6 - d5 * d4;
  if (va <= 0 && d4 - d3 >= 0 && d5 - d6 >= 0) {
    const w = (d4 - d3) / (d4 - d3 + (d5 - d6));
    return at(b, sub(c, b), w, ab, 0);
  }
  const denom = 1 / (va + vb + vc);
  return at(a, ab, vb * denom, ac, vc * denom);
}

/**
 * Distance from each point to the nearest triangle of a mesh, searched in growing shells of a grid of
 * `cell` up to `maxDistance` (Infinity beyond it).
 */
export function pointToMeshDistances(
  points: Float32Array,
  positions: Float32Array,
  triangles: Uint32Array,
  cell: number,
  maxDistance: number,
): Float64Array {
  const buckets = new Map<number, number[]>();
  for (let t = 0; t < triangles.length / 3; t++) {
    const lo = [Infinity, Infinity, Infinity];
    const hi = [-Infinity, -Infinity, -Infinity];
    for (let k = 0; k < 3; k++)
      for (let d = 0; d < 3; d++) {
        const v = positions[3 * triangles[3 * t + k] + d];
        lo[d] = Math.min(lo[d], v);
        hi[d] = Math.max(hi[d], v);
      }
    const [a, b] = [lo.map((v) => Math.floor(v / cell)), hi.map((v) => Math.floor(v / cell))];
    for (let x = a[0]; x <= b[0]; x++)
      for (let y = a[1]; y <= b[1]; y++)
        for (let z = a[2]; z <= b[2]; z++) {
          const k = cellKey(x, y, z);
          let bucket = buckets.get(k);
          if (!bucket) buckets.set(k, (bucket = []));
          bucket.push(t);
        }
  }
  const vert = (i: number) => [positions[3 * i], positions[3 * i + 1], positions[3 * i + 2]];
  const out = new Float64Array(points.length / 3);
  const maxRing = Math.ceil(maxDistance / cell) + 1;
  for (let i = 0; i < out.length; i++) {
    const p = [points[3 * i], points[3 * i + 1], points[3 * i + 2]];
    const c = p.map((v) => Math.floor(v / cell));
    const seen = new Set<number>();
    let best = Infinity;
    for (let ring = 0; ring <= maxRing; ring++) {
      for (let x = -ring; x <= ring; x++)
        for (let y = -ring; y <= ring; y++)
          for (let z = -ring; z <= ring; z++) {
            if (Math.max(Math.abs(x), Math.abs(y), Math.abs(z)) !== ring) continue;
            for (const t of buckets.get(cellKey(c[0] + x, c[1] + y, c[2] + z)) ?? []) {
              if (seen.has(t)) continue;
              seen.add(t);
              const q = closestOnTriangle(
                p,
                vert(triangles[3 * t]),
                vert(triangles[3 * t + 1]),
                vert(triangles[3 * t + 2]),
              );
              best = Math.min(best, Math.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]));
            }
          }
      // Everything within ring·cell of p has been seen.
      if (best <= ring * cell) break;
    }
    out[i] = best <= maxDistance ? best : Infinity;
  }
  return out;
}

export interface ShapeError {
  /** Millimetres from the subject's face surface to ours after alignment (each capped at CAP_MM). */
  medianMm: number;
  meanMm: number;
  /** Share of subject points with a surface of ours within 1 cm. */
  within10mm: number;
}

/** Distances beyond this count as this much (no triangle of ours nearby: a hole or a missing part). */
export const CAP_MM = 20;

/**
 * NoW-style (Sanyal et al., "Learning to Regress 3D Face Shape and Expression from an Image without
 * 3D Supervision", CVPR 2019) scan-to-mesh error: every subject face point to our aligned surface,
 * in mm, capped at CAP_MM so that a face-only mesh is charged a fixed amount where it has no surface.
 */
export function shapeError(
  subjectPoints: Float32Array,
  oursAligned: Float32Array,
  triangles: Uint32Array,
  metresPerUnit: number,
): ShapeError {
  const d = pointToMeshDistances(
    subjectPoints,
    oursAligned,
    triangles,
    0.004 / metresPerUnit,
    CAP_MM / 1000 / metresPerUnit,
  );
  const mm = Array.from(d, (v) => Math.min(CAP_MM, v * metresPerUnit * 1000));
  return { medianMm: median(mm), meanMm: mean(mm), within10mm: mm.filter((v) => v <= 10).length / mm.length };
}
