import { checkMesh, type TexturedMesh } from './mesh.ts';

export interface ObjMaps {
  diffuseAlbedo: string;
  specularAlbedo: string;
  diffuseNormals: string;
  specularNormals: string;
}

/** Wavefront OBJ with one material; vt flips v because OBJ's texture origin is bottom-left. */
export function writeObj(mesh: TexturedMesh, mtlFile: string, material = 'face'): string {
  checkMesh(mesh);
  const lines = ['# avatarme-webgpu reconstruction', `mtllib ${mtlFile}`, `o face`];
  const p = mesh.positions;
  for (let i = 0; i < p.length; i += 3)
    lines.push(`v ${p[i].toFixed(6)} ${p[i + 1].toFixed(6)} ${p[i + 2].toFixed(6)}`);
  const t = mesh.uvs;
  for (let i = 0; i < t.length; i += 2) lines.push(`vt ${t[i].toFixed(6)} ${(1 - t[i + 1]).toFixed(6)}`);
  const nrm = mesh.normals;
  if (nrm)
    for (let i = 0; i < nrm.length; i += 3)
      lines.push(`vn ${nrm[i].toFixed(5)} ${nrm[i + 1].toFixed(5)} ${nrm[i + 2].toFixed(5)}`);
  lines.push(`usemtl ${material}`, 's 1');
  const tri = mesh.triangles;
  for (let i = 0; i < tri.length; i += 3) {
    const [a, b, c] = [tri[i] + 1, tri[i + 1] + 1, tri[i + 2] + 1];
    lines.push(nrm ? `f ${a}/${a}/${a} ${b}/${b}/${b} ${c}/${c}/${c}` : `f ${a}/${a} ${b}/${b} ${c}/${c}`);
  }
  return lines.join('\n') + '\n';
}

/**
 * MTL with the reflectance maps: map_Kd diffuse albedo, map_Ks specular albedo, and the specular
 * normals as the (tangent-space) normal map under `norm` only — `map_Bump` would name the same file
 * again and three.js's MTLLoader reads it as a height map on top of the normal map. The diffuse
 * normals are named in a comment because MTL has no slot for a second normal map.
 */
export function writeMtl(maps: ObjMaps, material = 'face'): string {
  return [
    '# avatarme-webgpu reflectance maps (normal maps: tangent space, OpenGL convention, +Y green)',
    `newmtl ${material}`,
    'Ka 0 0 0',
    'Kd 1 1 1',
    'Ks 1 1 1',
    'Ns 140',
    'illum 2',
    `map_Kd ${maps.diffuseAlbedo}`,
    `map_Ks ${maps.specularAlbedo}`,
    `norm ${maps.specularNormals}`,
    `# diffuse normals: ${maps.diffuseNormals}`,
    '',
  ].join('\n');
}
