import { MorphableModelError } from './errors.ts';

/** A material group: a run of consecutive triangles that share one `usemtl`. */
export interface TriangleGroup {
  name: string;
  /** First triangle of the run. */
  start: number;
  /** Number of triangles. */
  count: number;
}

/**
 * A Wavefront OBJ mesh with positions and texture coordinates indexed separately (as the file does:
 * a position on a UV seam has several texture coordinates), polygons triangulated as fans.
 */
export interface ObjMesh {
  /** [V·3] xyz. */
  positions: Float32Array;
  /** [T·2] uv. */
  texcoords: Float32Array;
  /** [F·3] position indices (0-based). */
  triangles: Uint32Array;
  /** [F·3] texcoord indices (0-based), parallel to `triangles`; empty when the file has no `vt` refs. */
  uvTriangles: Uint32Array;
  groups: TriangleGroup[];
  /** Polygon counts before triangulation, by corner count (e.g. {3: 548, 4: 25836}). */
  polygonSides: Record<number, number>;
}

class Growable {
  data: Uint32Array;
  length = 0;
  constructor(capacity: number) {
    this.data = new Uint32Array(Math.max(16, capacity));
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Uint32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  done(): Uint32Array {
    return this.data.slice(0, this.length);
  }
}

/** Resolves a 1-based (or negative, relative) OBJ index to 0-based, or throws naming file and line. */
function resolveIndex(token: string, count: number, file: string, line: number, what: string): number {
  const i = parseInt(token, 10);
  const r = i < 0 ? count + i : i - 1;
  if (!Number.isInteger(i) || i === 0 || r < 0 || r >= count) {
    throw new MorphableModelError(`${file}:${line}: ${what} index ${token} out of range 1..${count}`);
  }
  return r;
}

function parseNumbers(parts: string[], n: number, file: string, line: number, out: number[]): void {
  for (let k = 1; k <= n; k++) {
    const v = Number(parts[k]);
    if (parts[k] === undefined || !Number.isFinite(v)) {
      throw new MorphableModelError(`${file}:${line}: expected ${n} numbers after "${parts[0]}"`);
    }
    out.push(v);
  }
}

/** Parses the OBJ subset the ICT Face Model uses: v, vt, f (v, v/vt, v/vt/vn, v//vn), usemtl. */
export function parseObj(text: string, file = 'mesh.obj'): ObjMesh {
  const positions: number[] = [];
  const texcoords: number[] = [];
  const tris = new Growable(text.length / 16);
  const uvTris = new Growable(text.length / 16);
  const groups: TriangleGroup[] = [];
  const polygonSides: Record<number, number> = {};
  let hasUv: boolean | undefined;
  let lineNo = 0;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    lineNo++;
    const raw = text.slice(start, end);
    start = end + 1;
    const c0 = raw.charCodeAt(0);
    // Skip blank lines and comments quickly ('#' = 35).
    if (raw.length === 0 || c0 === 35) continue;
    const parts = raw.trim().split(/\s+/);
    switch (parts[0]) {
      case 'v':
        parseNumbers(parts, 3, file, lineNo, positions);
        break;
      case 'vt':
        parseNumbers(parts, 2, file, lineNo, texcoords);
        break;
      case 'usemtl': {
        const triCount = tris.length / 3;
        const last = groups[groups.length - 1];
        if (last) last.count = triCount - last.start;
        groups.push({ name: parts.slice(1).join(' '), start: triCount, count: 0 });
        break;
      }
      case 'f': {
        const corners = parts.length - 1;
        if (corners < 3) throw new MorphableModelError(`${file}:${lineNo}: face with ${corners} corners`);
        polygonSides[corners] = (polygonSides[corners] ?? 0) + 1;
        const vCount = positions.length / 3;
        const tCount = texcoords.length / 2;
        const pv: number[] = [];
        const pt: number[] = [];
        for (let k = 1; k <= corners; k++) {
          const refs = parts[k].split('/');
          pv.push(resolveIndex(refs[0], vCount, file, lineNo, 'vertex'));
          const withUv = refs.length > 1 && refs[1] !== '';
          if (hasUv === undefined) hasUv = withUv;
          if (withUv !== hasUv) {
            throw new MorphableModelError(
              `${file}:${lineNo}: faces mix corners with and without texture coordinates`,
            );
          }
          if (withUv) pt.push(resolveIndex(refs[1], tCount, file, lineNo, 'texcoord'));
        }
        // Fan triangulation: a quad (a, b, c, d) becomes (a, b, c) and (a, c, d), keeping the winding.
        for (let k = 1; k + 1 < corners; k++) {
          tris.push(pv[0]);
          tris.push(pv[k]);
          tris.push(pv[k + 1]);
          if (hasUv) {
            uvTris.push(pt[0]);
            uvTris.push(pt[k]);
            uvTris.push(pt[k + 1]);
          }
        }
        break;
      }
      default:
        // vn, s, o, g, mtllib and others carry nothing the model needs.
        break;
    }
  }
  const triCount = tris.length / 3;
  const last = groups[groups.length - 1];
  if (last) last.count = triCount - last.start;
  if (groups.length === 0 && triCount > 0) groups.push({ name: 'default', start: 0, count: triCount });
  else if (groups.length > 0 && groups[0].start > 0)
    groups.unshift({ name: 'default', start: 0, count: groups[0].start });
  return {
    positions: new Float32Array(positions),
    texcoords: new Float32Array(texcoords),
    triangles: tris.done(),
    uvTriangles: uvTris.done(),
    groups: groups.filter((g) => g.count > 0),
    polygonSides,
  };
}

/**
 * Only the `v` lines of an OBJ, in float64 as written (the importer reads 150+ shape files that share
 * one topology and subtracts them before rounding to float32).
 */
export function parseObjPositions(text: string, file = 'mesh.obj'): Float64Array {
  const out: number[] = [];
  let lineNo = 0;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    lineNo++;
    if (text.charCodeAt(start) === 118 && text.charCodeAt(start + 1) === 32) {
      // 'v ' — positions only, not 'vt'/'vn'.
      parseNumbers(text.slice(start, end).trim().split(/\s+/), 3, file, lineNo, out);
    }
    start = end + 1;
  }
  return new Float64Array(out);
}
