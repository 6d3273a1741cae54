import type { MorphableModel } from '../morphable/model.ts';
import { headMeshTopology, type HeadMeshTopology } from './atlas.ts';
import { mirrorSplitVertices, mirrorVertices } from './mirror.ts';
import { bareSkinVertices, skinVertices } from './skin.ts';

/** What a head fit reuses from one model to the next. */
export interface PreparedHead {
  topology: HeadMeshTopology;
  mirror: Uint32Array;
  /** Per split vertex: 1 on the core skin (skinVertices), on any bare skin (bareSkinVertices). */
  skin: Float32Array;
  bareSkin: Float32Array;
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
    const bareModel = bareSkinVertices(model);
    p = {
      topology,
      mirror: mirrorSplitVertices(topology.sourceVertex, topology.triangles, mirror),
      skin: Float32Array.from(topology.sourceVertex, (v) => skinModel[v]),
      bareSkin: Float32Array.from(topology.sourceVertex, (v) => bareModel[v]),
    };
    prepared.set(model, p);
  }
  return p;
}
