import type { TexturedMesh } from '../export/mesh.ts';
import type { HeadGeometry } from './fit.ts';

/** ICT's OBJ files are in centimetres. */
export const ICT_METRES_PER_UNIT = 0.01;

/**
 * The fitted head for export: model-space positions (y up, z towards the viewer, cm), unit normals,
 * atlas UVs (v down, as TexturedMesh wants) and counter-clockwise triangles.
 */
export function headTexturedMesh(fit: HeadGeometry): TexturedMesh {
  return {
    positions: fit.mesh.positions,
    normals: fit.normals,
    uvs: fit.mesh.uvs,
    triangles: fit.mesh.triangles,
    metresPerUnit: ICT_METRES_PER_UNIT,
  };
}
