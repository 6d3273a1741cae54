import { KernelContext, type Tensor } from '@avatarme/kernels';
import type { TexturedMesh } from '../export/mesh.ts';
import type { RgbaImage } from '../image/codec.ts';
import { IblEnvironment } from './ibl-environment.ts';
import { lookAt, multiply, perspective } from './math.ts';
import { SkinRenderer, type SkinMaps, type SkinView } from './skin-render.ts';

const solid = (r: number, g: number, b: number, size = 4): RgbaImage => {
  const data = new Uint8ClampedArray(size * size * 4);
  for (let i = 0; i < size * size; i++) data.set([r, g, b, 255], i * 4);
  return { width: size, height: size, data };
};

/** Left half one colour, right half another. */
const halves = (left: number[], right: number[], size = 16): RgbaImage => {
  const data = new Uint8ClampedArray(size * size * 4);
  for (let i = 0; i < size * size; i++) data.set([...(i % size < size / 2 ? left : right), 255], i * 4);
  return { width: size, height: size, data };
};

function uvSphere(rows: number, columns: number): TexturedMesh {
  const positions: number[] = [];
  const uvs: number[] = [];
  const triangles: number[] = [];
  for (let r = 0; r <= rows; r++)
    for (let c = 0; c <= columns; c++) {
      const theta = (Math.PI * r) / rows;
      const phi = (2 * Math.PI * c) / columns;
      positions.push(Math.sin(theta) * Math.sin(phi), Math.cos(theta), Math.sin(theta) * Math.cos(phi));
      uvs.push(c / columns, 1 - r / rows);
    }
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < columns; c++) {
      const i = r * (columns + 1) + c;
      triangles.push(i, i + columns + 1, i + 1, i + 1, i + columns + 1, i + columns + 2);
    }
  return {
    positions: new Float32Array(positions),
    normals: new Float32Array(positions),
    uvs: new Float32Array(uvs),
    triangles: new Uint32Array(triangles),
    metresPerUnit: 0.1,
  };
}

const quadAt = (z: number, half: number) => [-half, -half, z, half, -half, z, half, half, z, -half, half, z];

/**
 * A quad in the z = 0 plane facing +z (half-width 1, metres per unit 0.1), constant maps, camera on
 * the +z axis; with `occluder`, a second, smaller quad (half-width 0.25) at z = `occluderZ` (0.5),
 * of albedo `occluderAlbedo` (the left half of the albedo texture is the big quad's, the right half
 * the occluder's). `albedoMap` replaces the constant albedo of the big quad.
 */
export async function renderQuad(
  device: GPUDevice,
  a: {
    albedo: [number, number, number];
    spec: number;
    normal: [number, number, number];
    view: Partial<SkinView>;
    size: number;
    /** A uniform HDR environment of this radiance instead of the view's preset. */
    uniformEnvironment?: number;
    /** An environment bright (radiance 4) over x > 0 and 0.25 elsewhere, turned by view.environmentRotation. */
    sidedEnvironment?: boolean;
    occluder?: boolean;
    occluderZ?: number;
    occluderAlbedo?: [number, number, number];
    albedoMap?: RgbaImage;
    /** A constant roughness map (perceptual roughness · 255); absent: no map. */
    roughness?: number;
    /** A unit sphere (UV sphere, 24 × 48) at the origin instead of the quads. */
    sphere?: boolean;
    /** Camera distance (default 4); the field of view narrows to keep the framing. */
    cameraDistance?: number;
  },
) {
  const ctx = new KernelContext(device);
  const positions = [...quadAt(0, 1)];
  const triangles = [0, 1, 2, 0, 2, 3];
  if (a.occluder) {
    positions.push(...quadAt(a.occluderZ ?? 0.5, 0.25));
    triangles.push(4, 5, 6, 4, 6, 7);
  }
  const count = positions.length / 3;
  const mesh: TexturedMesh = a.sphere
    ? uvSphere(24, 48)
    : {
        positions: new Float32Array(positions),
        normals: new Float32Array(Array.from({ length: count }, () => [0, 0, 1]).flat()),
        uvs: new Float32Array(
          Array.from({ length: count / 4 }, (_, q) =>
            a.occluderAlbedo
              ? [0.02, 0.98, 0.48, 0.98, 0.48, 0.02, 0.02, 0.02].map((u, k) =>
                  k % 2 === 0 && q ? u + 0.5 : u,
                )
              : [0, 1, 1, 1, 1, 0, 0, 0],
          ).flat(),
        ),
        triangles: new Uint32Array(triangles),
        metresPerUnit: 0.1,
      };
  const n = a.normal;
  const maps: SkinMaps = {
    diffuseAlbedo:
      a.albedoMap ?? (a.occluderAlbedo ? halves(a.albedo, a.occluderAlbedo) : solid(...a.albedo)),
    specularAlbedo: solid(a.spec, a.spec, a.spec),
    diffuseNormals: solid(n[0], n[1], n[2]),
    specularNormals: solid(n[0], n[1], n[2]),
    ...(a.roughness !== undefined ? { roughness: solid(a.roughness, a.roughness, a.roughness) } : {}),
  };
  let environment: IblEnvironment | undefined;
  if (a.uniformEnvironment !== undefined || a.sidedEnvironment) {
    const [h, w] = [16, 32];
    const data = new Float32Array(h * w * 4);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        // u = atan2(z, x) / 2π + 0.5: columns with cos(φ) > 0 look along +x.
        const phi = 2 * Math.PI * ((x + 0.5) / w - 0.5);
        const v = a.sidedEnvironment ? (Math.cos(phi) > 0 ? 4 : 0.25) : a.uniformEnvironment!;
        data.set([v, v, v, 0], (y * w + x) * 4);
      }
    environment = await IblEnvironment.create(ctx, { width: w, height: h, data }, 'test');
  }
  const renderer = SkinRenderer.create(ctx, mesh, maps);
  const distance = a.cameraDistance ?? 4;
  const eye: [number, number, number] = [0, 0, distance];
  const fov = 2 * Math.atan((Math.tan(Math.PI / 8) * 4) / distance);
  const viewProj = multiply(
    perspective(fov, 1, distance / 40, distance * 2.5),
    lookAt(eye, [0, 0, 0], [0, 1, 0]),
  );
  const image = renderer.render({
    width: a.size,
    height: a.size,
    viewProj,
    eye,
    ...a.view,
    ...(environment ? { environment } : {}),
  });
  const pixels = await image.read();
  image.dispose();
  renderer.dispose();
  environment?.dispose();
  ctx.dispose();
  return pixels;
}

/**
 * The same views of a lit sphere (a sided HDR environment turned two ways, so the key light and its
 * shadow map change between views, and an SH preset) rendered one by one, each read back before the
 * next is recorded, and all recorded first then read back together. Returns the float32 bits of
 * every view, both ways.
 */
export async function renderOneByOneAndBatched(device: GPUDevice, size: number) {
  const ctx = new KernelContext(device);
  const mesh = uvSphere(24, 48);
  const maps: SkinMaps = {
    diffuseAlbedo: halves([200, 140, 110], [90, 160, 210]),
    specularAlbedo: solid(100, 100, 100),
    diffuseNormals: solid(128, 128, 255),
    specularNormals: solid(128, 128, 255),
  };
  const [h, w] = [16, 32];
  const data = new Float32Array(h * w * 4);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const v = Math.cos(2 * Math.PI * ((x + 0.5) / w - 0.5)) > 0 ? 4 : 0.25;
      data.set([v, v, v, 0], (y * w + x) * 4);
    }
  const environment = await IblEnvironment.create(ctx, { width: w, height: h, data }, 'sided');
  const occlusion = new Float32Array(mesh.positions.length / 3).map((_, i) => 0.5 + 0.5 * ((i % 7) / 6));
  const views: SkinView[] = [
    [0, 0],
    [35, 0],
    [90, Math.PI / 2],
    [0, Math.PI / 2],
  ].map(([yaw, rotation]) => {
    const a = (yaw * Math.PI) / 180;
    const eye: [number, number, number] = [4 * Math.sin(a), 0, 4 * Math.cos(a)];
    return {
      width: size,
      height: size,
      viewProj: multiply(perspective(Math.PI / 4, 1, 0.1, 10), lookAt(eye, [0, 0, 0], [0, 1, 0])),
      eye,
      environment,
      environmentRotation: rotation,
    };
  });
  views.push({ ...views[1], environment: 'studio', lightDirection: [0.5, 0.3, 0.8] });
  const bits = async (t: Tensor) => {
    const px = await t.read();
    t.dispose();
    return Array.from(new Uint32Array(px.buffer, px.byteOffset, px.length));
  };
  const oneByOne: number[][] = [];
  const first = SkinRenderer.create(ctx, mesh, maps, { occlusion, shadowMapSize: 256 });
  for (const v of views) oneByOne.push(await bits(first.render(v)));
  first.dispose();
  const second = SkinRenderer.create(ctx, mesh, maps, { occlusion, shadowMapSize: 256 });
  const batched = await Promise.all(views.map((v) => second.render(v)).map(bits));
  second.dispose();
  environment.dispose();
  ctx.dispose();
  return { oneByOne, batched };
}
