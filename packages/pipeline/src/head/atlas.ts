import type { MorphableModel } from '../morphable/model.ts';

/**
 * The head atlas: ICT's texture tiles packed into ONE square UV layout, so that the texture and every
 * reflectance map of the head are single S×S images like the FaceMesh face's.
 *
 * ICT lays its materials out UDIM-style: the face in u ∈ [0, 1], the back of the head (scalp, neck,
 * eye and mouth sockets) in [1, 2], gums and tongue in [2, 3], teeth in [3, 4], and each eyeball
 * (sclera + iris) in its own [0, 1] texture. The atlas is a 3×3 grid of cells, v down:
 *
 *   face face back
 *   face face teeth
 *   gums eyeL eyeR      (eyeL, eyeR: the sclera shells)
 *
 * The face keeps 2/3 of the side (it is what the photo shows; a 512² atlas gives it 341² texels), the
 * rest gets one cell each. Each tile is inset by GUTTER of its cell so bilinear taps never cross cells.
 *
 * Materials left out of the head mesh: M_LacrimalFluid, M_EyeBlend, M_EyeOcclusion (transparent
 * overlays of the eye) and M_EyeLashes (alpha-tested strips): the exporters have no transparency, and
 * as opaque geometry they would cover the eyes. M_IrisLeft/Right too: each iris is a second shell
 * inside its sclera's cornea bulge, on the same texture coordinates (ICT gives them separate
 * textures); opaque, only the sclera shell shows, and its texture takes the iris the photo shows.
 */
export interface AtlasCell {
  /** ICT's UDIM tile of the material (its u offset). */
  tile: number;
  /** Top-left corner of the cell in atlas UV (v down), and its side. */
  x: number;
  y: number;
  size: number;
}

const THIRD = 1 / 3;

export const HEAD_ATLAS: Readonly<Record<string, AtlasCell>> = {
  M_Face: { tile: 0, x: 0, y: 0, size: 2 * THIRD },
  M_BackHead: { tile: 1, x: 2 * THIRD, y: 0, size: THIRD },
  M_Teeth: { tile: 3, x: 2 * THIRD, y: THIRD, size: THIRD },
  M_GumsTongue: { tile: 2, x: 0, y: 2 * THIRD, size: THIRD },
  M_ScleraLeft: { tile: 0, x: THIRD, y: 2 * THIRD, size: THIRD },
  M_ScleraRight: { tile: 0, x: 2 * THIRD, y: 2 * THIRD, size: THIRD },
};

/** Share of a cell left empty on each side. */
export const GUTTER = 0.01;

/** Atlas UV (v down) of an ICT texture coordinate (v up) of a material in `cell`. */
export function atlasUv(cell: AtlasCell, u: number, v: number): [number, number] {
  const inner = cell.size * (1 - 2 * GUTTER);
  const pad = cell.size * GUTTER;
  return [cell.x + pad + (u - cell.tile) * inner, cell.y + pad + (1 - v) * inner];
}

/**
 * The head's render mesh: the model's triangles of the atlas materials, with one atlas UV per vertex
 * (a model vertex gets one split vertex per distinct texture coordinate it has, so UV seams are split).
 */
export interface HeadMeshTopology {
  /** Model vertex of each split vertex [N]. */
  sourceVertex: Uint32Array;
  /** Atlas UV per split vertex, v down [N·2]. */
  uvs: Float32Array;
  /** [F·3] indices into the split vertices, counter-clockwise from outside (as ICT's OBJ). */
  triangles: Uint32Array;
  /** [F·3] the same triangles on model vertices (for normals that ignore UV seams). */
  modelTriangles: Uint32Array;
  /** Atlas material of each triangle (a key of HEAD_ATLAS) [F]. */
  materials: string[];
  materialOfTriangle: Uint8Array;
  /** The model's vertex regions, and the region of each triangle's first vertex [F]. */
  regionNames: string[];
  regionOfTriangle: Uint8Array;
  /** The model regions the mesh touches (face, head_and_neck, mouth_socket, …, eyeball_right). */
  regions: string[];
}

export function headMeshTopology(
  model: Pick<MorphableModel, 'triangles' | 'uvTriangles' | 'texcoords' | 'groups' | 'regions'>,
): HeadMeshTopology {
  const materials = Object.keys(HEAD_ATLAS);
  const missing = materials.filter((m) => !model.groups.some((g) => g.name === m));
  if (missing.length) {
    throw new RangeError(
      `head atlas: the model has no material group ${missing.join(', ')} (groups: ${model.groups.map((g) => g.name).join(', ')})`,
    );
  }
  const index = new Map<string, number>();
  const source: number[] = [];
  const uvs: number[] = [];
  const tris: number[] = [];
  const modelTris: number[] = [];
  const triMaterial: number[] = [];
  const triRegion: number[] = [];
  const regionOf = (v: number) => model.regions.findIndex((r) => v >= r.first && v <= r.last);
  const usedVertices = new Set<number>();
  for (const group of model.groups) {
    const cell = HEAD_ATLAS[group.name];
    if (!cell) continue;
    const m = materials.indexOf(group.name);
    for (let t = group.start; t < group.start + group.count; t++) {
      for (let k = 0; k < 3; k++) {
        const p = model.triangles[3 * t + k];
        const tc = model.uvTriangles[3 * t + k];
        const key = `${p}/${tc}/${cell.x}/${cell.y}`;
        let v = index.get(key);
        if (v === undefined) {
          v = source.length;
          index.set(key, v);
          source.push(p);
          uvs.push(...atlasUv(cell, model.texcoords[2 * tc], model.texcoords[2 * tc + 1]));
        }
        tris.push(v);
        modelTris.push(p);
        usedVertices.add(p);
      }
      triMaterial.push(m);
      triRegion.push(regionOf(model.triangles[3 * t]));
    }
  }
  const regions = model.regions
    .filter((r) => [...usedVertices].some((v) => v >= r.first && v <= r.last))
    .map((r) => r.name);
  return {
    sourceVertex: Uint32Array.from(source),
    uvs: Float32Array.from(uvs),
    triangles: Uint32Array.from(tris),
    modelTriangles: Uint32Array.from(modelTris),
    materials,
    materialOfTriangle: Uint8Array.from(triMaterial),
    regionNames: model.regions.map((r) => r.name),
    regionOfTriangle: Uint8Array.from(triRegion),
    regions,
  };
}
