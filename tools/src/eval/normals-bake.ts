/**
 * Shading normals (geometry + tangent-space normal map) in the mesh's own frame, baked into a texture
 * so that the renderer's plain albedo view draws them: the comparison of normals then needs nothing of
 * the renderer's lighting, and works across UV layouts and topologies.
 */
import type { TexturedMesh } from '@avatarme/pipeline/export/mesh.ts';
import { computeTangents } from '@avatarme/pipeline/export/tangents.ts';
import type { RgbaImage } from '@avatarme/pipeline/image/codec.ts';
import { srgbToLinear } from '@avatarme/pipeline/math/colour.ts';
import { dilate, interpolate, rasteriseUv } from './uv-raster.ts';

const toSrgb = (c: number) => (c <= 0.0031308 ? 12.92 * c : 1.055 * c ** (1 / 2.4) - 0.055);

/** Bilinear sample of an 8-bit map at a UV (image convention), as the renderer's sampler would. */
function sample(img: RgbaImage, u: number, v: number): number[] {
  const x = Math.min(img.width - 1, Math.max(0, u * img.width - 0.5));
  const y = Math.min(img.height - 1, Math.max(0, v * img.height - 0.5));
  const [x0, y0] = [Math.floor(x), Math.floor(y)];
  const [x1, y1] = [Math.min(img.width - 1, x0 + 1), Math.min(img.height - 1, y0 + 1)];
  const [tx, ty] = [x - x0, y - y0];
  const at = (xx: number, yy: number, k: number) => img.data[4 * (yy * img.width + xx) + k] / 255;
  return [0, 1, 2].map(
    (k) =>
      (1 - ty) * ((1 - tx) * at(x0, y0, k) + tx * at(x1, y0, k)) +
      ty * ((1 - tx) * at(x0, y1, k) + tx * at(x1, y1, k)),
  );
}

/**
 * Per texel of the mesh's UV layout: n = normalize(T·x + B·y + N·z) with the map's decoded (x, y, z)
 * and the renderer's tangent frame (computeTangents; B = N × T · w), stored as sRGB of 0.5·n + 0.5 so
 * the sRGB texture decodes it back to 0.5·n + 0.5. At least 256² so flat 1×1 maps keep the geometry.
 */
export function bakeShadingNormals(mesh: TexturedMesh, normalMap: RgbaImage): RgbaImage {
  const size = Math.max(256, normalMap.width);
  const normals = mesh.normals!;
  const tangents = computeTangents(mesh.positions, normals, mesh.uvs, mesh.triangles);
  const raster = rasteriseUv(mesh.uvs, mesh.triangles, size);
  const n = interpolate(raster, mesh.triangles, normals, 3);
  const t = interpolate(raster, mesh.triangles, tangents, 4);
  const covered = Uint8Array.from(raster.triangle, (x) => (x >= 0 ? 1 : 0));
  const out = new Float32Array(size * size * 3);
  for (let i = 0; i < size * size; i++) {
    if (!covered[i]) continue;
    const u = ((i % size) + 0.5) / size;
    const v = (Math.floor(i / size) + 0.5) / size;
    const N = Array.from(n.subarray(3 * i, 3 * i + 3));
    const nl = Math.hypot(N[0], N[1], N[2]) || 1;
    for (let k = 0; k < 3; k++) N[k] /= nl;
    const T0 = Array.from(t.subarray(4 * i, 4 * i + 3));
    const w = t[4 * i + 3] < 0 ? -1 : 1;
    const d = T0[0] * N[0] + T0[1] * N[1] + T0[2] * N[2];
    const T = T0.map((c, k) => c - d * N[k]);
    const tl = Math.hypot(T[0], T[1], T[2]) || 1;
    for (let k = 0; k < 3; k++) T[k] /= tl;
    const B = [N[1] * T[2] - N[2] * T[1], N[2] * T[0] - N[0] * T[2], N[0] * T[1] - N[1] * T[0]].map(
      (c) => c * w,
    );
    const e = sample(normalMap, u, v).map((c) => 2 * c - 1);
    const s = [0, 1, 2].map((k) => T[k] * e[0] + B[k] * e[1] + N[k] * e[2]);
    const sl = Math.hypot(s[0], s[1], s[2]) || 1;
    out.set(
      s.map((c) => c / sl),
      3 * i,
    );
  }
  dilate(out, covered, size, 3, 4);
  const data = new Uint8ClampedArray(size * size * 4);
  for (let i = 0; i < size * size; i++) {
    for (let k = 0; k < 3; k++) data[4 * i + k] = Math.round(toSrgb(0.5 * out[3 * i + k] + 0.5) * 255);
    data[4 * i + 3] = 255;
  }
  return { width: size, height: size, data };
}

/**
 * Back from the albedo view of a baked texture (sRGB floats, RGBA) to unit normals in the world:
 * decoded, then turned by the model matrix's rotation (column-major; its scale divides out).
 */
export function decodeBakedNormals(rgba: Float32Array, model: Float32Array): Float32Array {
  const out = new Float32Array(rgba.length);
  for (let i = 0; i < rgba.length; i += 4) {
    const m = [0, 1, 2].map((k) => 2 * srgbToLinear(rgba[i + k]) - 1);
    const w = [0, 1, 2].map((r) => model[r] * m[0] + model[4 + r] * m[1] + model[8 + r] * m[2]);
    const l = Math.hypot(w[0], w[1], w[2]) || 1;
    out.set([w[0] / l, w[1] / l, w[2] / l, rgba[i + 3]], i);
  }
  return out;
}
