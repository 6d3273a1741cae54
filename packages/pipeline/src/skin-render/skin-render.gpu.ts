import { KernelContext, gaussianBlur } from '@avatarme/kernels';
import type { TexturedMesh } from '../export/mesh.ts';
import type { RgbaImage } from '../image/codec.ts';
import { lookAt, multiply, perspective } from './math.ts';
import { SkinRenderer, type SkinMaps, type SkinView } from './skin-render.ts';

const solid = (r: number, g: number, b: number, size = 4): RgbaImage => {
  const data = new Uint8ClampedArray(size * size * 4);
  for (let i = 0; i < size * size; i++) data.set([r, g, b, 255], i * 4);
  return { width: size, height: size, data };
};

/** A unit quad in the z = 0 plane facing +z, constant maps, camera on the +z axis. */
export async function renderQuad(
  device: GPUDevice,
  a: {
    albedo: [number, number, number];
    spec: number;
    normal: [number, number, number];
    view: Partial<SkinView>;
    size: number;
  },
) {
  const ctx = new KernelContext(device);
  const mesh: TexturedMesh = {
    positions: new Float32Array([-1, -1, 0, 1, -1, 0, 1, 1, 0, -1, 1, 0]),
    normals: new Float32Array([0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1]),
    uvs: new Float32Array([0, 1, 1, 1, 1, 0, 0, 0]),
    triangles: new Uint32Array([0, 1, 2, 0, 2, 3]),
    metresPerUnit: 1,
  };
  const n = a.normal;
  const maps: SkinMaps = {
    diffuseAlbedo: solid(...a.albedo),
    specularAlbedo: solid(a.spec, a.spec, a.spec),
    diffuseNormals: solid(n[0], n[1], n[2]),
    specularNormals: solid(n[0], n[1], n[2]),
  };
  const renderer = SkinRenderer.create(ctx, mesh, maps, (c, x, o) => gaussianBlur(c, x, o));
  const eye: [number, number, number] = [0, 0, 4];
  const viewProj = multiply(perspective(Math.PI / 4, 1, 0.1, 10), lookAt(eye, [0, 0, 0], [0, 1, 0]));
  const image = renderer.render({ width: a.size, height: a.size, viewProj, eye, ...a.view });
  const pixels = await image.read();
  image.dispose();
  renderer.dispose();
  ctx.dispose();
  return pixels;
}
