import type { MorphableModel } from '../morphable/model.ts';
import { headMeshTopology, type HeadMeshTopology } from './atlas.ts';
import { mirrorSplitVertices, mirrorVertices } from './mirror.ts';
import { skinVertices } from './skin.ts';

/** What a head fit reuses from one model to the next. */
export interface PreparedHead {
  topology: HeadMeshTopology;
  mirror: Uint32Array;
  skin: Float32Array;
}

const prepared = new WeakMap<MorphableModel, PreparedHead>();

/** The model's atlas topology and mirror map, computed once per model. */
export function prepareHead(model: MorphableModel): PreparedHead {
  let p = prepared.get(model);
  if (!p) {
    const topology = headMeshTopology(model);
    const used = Array.from(new Set(topology.sourceVertex));
    const { mirror } = mirrorVertices(model.neutral, used, 0.5);
    const skinModel = skinVertices(model);
    p = {
      topology,
      mirror: mirrorSplitVertices(topology.sourceVertex, topology.triangles, mirror),
      skin: Float32Array.from(topology.sourceVertex, (v) => skinModel[v]),
    };
    prepared.set(model, p);
  }
  return p;
}
