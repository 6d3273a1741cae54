/**
 * A triangle mesh ready for export. UVs are in image convention — (0, 0) is the top-left texel of
 * the UV maps, v grows downwards — which is glTF's convention; the OBJ writer flips v.
 */
export interface TexturedMesh {
  positions: Float32Array; // xyz per vertex
  normals?: Float32Array; // xyz per vertex, unit length
  uvs: Float32Array; // uv per vertex
  triangles: Uint32Array; // counter-clockwise seen from outside
  /** Size of one position unit in metres (glTF is in metres). */
  metresPerUnit: number;
}

export function checkMesh(mesh: TexturedMesh): void {
  const n = mesh.positions.length / 3;
  if (!Number.isInteger(n) || n === 0)
    throw new Error(`mesh: ${mesh.positions.length} position values are not xyz triples`);
  if (mesh.uvs.length !== n * 2) throw new Error(`mesh: ${mesh.uvs.length / 2} UVs for ${n} vertices`);
  if (mesh.normals && mesh.normals.length !== n * 3)
    throw new Error(`mesh: ${mesh.normals.length / 3} normals for ${n} vertices`);
  if (mesh.triangles.length % 3 !== 0)
    throw new Error(`mesh: ${mesh.triangles.length} indices are not triangles`);
  for (const i of mesh.triangles)
    if (i >= n) throw new Error(`mesh: triangle index ${i} past the ${n} vertices`);
}
