import type { TexturedMesh } from '@avatarme/pipeline/export/mesh.ts';
import { HEAD_ATLAS } from '@avatarme/pipeline/head/atlas.ts';

/** The cheek patch, from the nose tip (the face's front-most vertex, +z forward, +y up, metres). */
const CHEEK = { side: [0.035, 0.055], up: [-0.01, 0.02], back: 0.06 };

/**
 * Texels per millimetre of the head atlas on the cheek: √(UV area in texels² / surface area in mm²)
 * over the face cell's triangles whose centroid lies in the CHEEK patch, for an atlas of `atlasSize`².
 * `mesh`: a reconstruction's head mesh in metres (readAvatarGlb).
 */
export function cheekTexelsPerMm(mesh: TexturedMesh, atlasSize: number): number {
  const { positions: p, uvs, triangles } = mesh;
  const face = HEAD_ATLAS.M_Face;
  const inFace = (u: number, v: number) =>
    u >= face.x && u < face.x + face.size && v >= face.y && v < face.y + face.size;
  let tip = -1;
  for (let v = 0; v < p.length / 3; v++)
    if (inFace(uvs[2 * v], uvs[2 * v + 1]) && (tip < 0 || p[3 * v + 2] > p[3 * tip + 2])) tip = v;
  if (tip < 0) throw new Error('texel density: no vertex in the head atlas face cell');
  const mm = 1000 / mesh.metresPerUnit;
  let uvArea = 0;
  let area = 0;
  for (let f = 0; f < triangles.length; f += 3) {
    const [a, b, c] = [triangles[f], triangles[f + 1], triangles[f + 2]];
    if (
      !inFace(
        (uvs[2 * a] + uvs[2 * b] + uvs[2 * c]) / 3,
        (uvs[2 * a + 1] + uvs[2 * b + 1] + uvs[2 * c + 1]) / 3,
      )
    )
      continue;
    const centre = [0, 1, 2].map((k) => (p[3 * a + k] + p[3 * b + k] + p[3 * c + k]) / 3 - p[3 * tip + k]);
    const side = Math.abs(centre[0]) / mesh.metresPerUnit;
    const up = centre[1] / mesh.metresPerUnit;
    if (side < CHEEK.side[0] || side > CHEEK.side[1] || up < CHEEK.up[0] || up > CHEEK.up[1]) continue;
    if (-centre[2] / mesh.metresPerUnit > CHEEK.back) continue;
    const e1 = [0, 1, 2].map((k) => (p[3 * b + k] - p[3 * a + k]) * mm);
    const e2 = [0, 1, 2].map((k) => (p[3 * c + k] - p[3 * a + k]) * mm);
    area +=
      Math.hypot(
        e1[1] * e2[2] - e1[2] * e2[1],
        e1[2] * e2[0] - e1[0] * e2[2],
        e1[0] * e2[1] - e1[1] * e2[0],
      ) / 2;
    const u1 = [(uvs[2 * b] - uvs[2 * a]) * atlasSize, (uvs[2 * b + 1] - uvs[2 * a + 1]) * atlasSize];
    const u2 = [(uvs[2 * c] - uvs[2 * a]) * atlasSize, (uvs[2 * c + 1] - uvs[2 * a + 1]) * atlasSize];
    uvArea += Math.abs(u1[0] * u2[1] - u1[1] * u2[0]) / 2;
  }
  if (!(area > 0)) throw new Error('texel density: no face triangle on the cheek');
  return Math.sqrt(uvArea / area);
}
