import type { MorphableModel } from './model.ts';

/**
 * The model's mesh with one texture coordinate per vertex: every (position, texcoord) pair the
 * triangles use becomes one vertex, so positions on UV seams are duplicated. `sourceVertex` maps each
 * of these vertices back to the model vertex whose position it takes.
 */
export interface UvMesh {
  sourceVertex: Uint32Array;
  /** [N·2] */
  uvs: Float32Array;
  /** [F·3] indices into the split vertices. */
  triangles: Uint32Array;
}

export function uvMesh(model: Pick<MorphableModel, 'triangles' | 'uvTriangles' | 'texcoords'>): UvMesh {
  const { triangles, uvTriangles, texcoords } = model;
  const texCount = texcoords.length / 2;
  const index = new Map<number, number>();
  const source: number[] = [];
  const uvs: number[] = [];
  const out = new Uint32Array(triangles.length);
  for (let i = 0; i < triangles.length; i++) {
    const p = triangles[i];
    const t = uvTriangles[i];
    const key = p * texCount + t;
    let v = index.get(key);
    if (v === undefined) {
      v = source.length;
      index.set(key, v);
      source.push(p);
      uvs.push(texcoords[t * 2], texcoords[t * 2 + 1]);
    }
    out[i] = v;
  }
  return { sourceVertex: Uint32Array.from(source), uvs: Float32Array.from(uvs), triangles: out };
}

/** Positions [V·3] gathered onto the split vertices of a UvMesh: [N·3]. */
export function gatherPositions(positions: ArrayLike<number>, sourceVertex: Uint32Array): Float32Array {
  const out = new Float32Array(sourceVertex.length * 3);
  for (let i = 0; i < sourceVertex.length; i++) {
    const s = sourceVertex[i] * 3;
    out[i * 3] = positions[s];
    out[i * 3 + 1] = positions[s + 1];
    out[i * 3 + 2] = positions[s + 2];
  }
  return out;
}
