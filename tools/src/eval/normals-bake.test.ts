import { describe, expect, it } from 'vitest';
import { bakeShadingNormals, decodeBakedNormals } from './normals-bake.ts';

// A square in the xy plane facing +z; u grows with x, v (image convention, down) grows as y falls.
const quad = {
  positions: Float32Array.from([0, 1, 0, 1, 1, 0, 1, 0, 0, 0, 0, 0]),
  normals: Float32Array.from([0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1]),
  uvs: Float32Array.from([0, 0, 1, 0, 1, 1, 0, 1]),
  triangles: Uint32Array.from([0, 3, 2, 0, 2, 1]),
  metresPerUnit: 1,
};
const flatMap = (x: number, y: number, z: number) => ({
  width: 1,
  height: 1,
  data: Uint8ClampedArray.from([x, y, z].map((c) => Math.round((0.5 * c + 0.5) * 255)).concat(255)),
});
const identity = Float32Array.from([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);

/** The baked texel at the centre as the albedo view returns it (sRGB floats), decoded; 8-bit maps and texture quantise to about 0.3°. */
function centreNormal(tex: ReturnType<typeof bakeShadingNormals>, model = identity): number[] {
  const i = (tex.height / 2) * tex.width + tex.width / 2;
  const rgba = Float32Array.from([0, 1, 2, 3].map((k) => tex.data[4 * i + k] / 255));
  return Array.from(decodeBakedNormals(rgba, model).subarray(0, 3));
}

describe('bakeShadingNormals', () => {
  it('keeps the geometric normal under a flat map', () => {
    const n = centreNormal(bakeShadingNormals(quad, flatMap(0, 0, 1)));
    [0, 0, 1].forEach((v, k) => expect(n[k]).toBeCloseTo(v, 1));
  });
  it('tilts along the tangent (+u = +x) and the OpenGL bitangent (green = up = +y)', () => {
    const s = Math.sin(Math.PI / 6);
    const c = Math.cos(Math.PI / 6);
    const nx = centreNormal(bakeShadingNormals(quad, flatMap(s, 0, c)));
    [s, 0, c].forEach((v, k) => expect(nx[k]).toBeCloseTo(v, 1));
    const ny = centreNormal(bakeShadingNormals(quad, flatMap(0, s, c)));
    [0, s, c].forEach((v, k) => expect(ny[k]).toBeCloseTo(v, 1));
  });
  it('turns decoded normals by the model matrix', () => {
    // 90° about y: +z goes to +x.
    const rot = Float32Array.from([0, 0, -1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1]);
    const n = centreNormal(bakeShadingNormals(quad, flatMap(0, 0, 1)), rot);
    [1, 0, 0].forEach((v, k) => expect(n[k]).toBeCloseTo(v, 1));
  });
});
