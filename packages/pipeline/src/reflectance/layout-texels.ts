import {
  ambientOcclusion,
  interpolate,
  rasterize,
  Tensor,
  Triangles,
  type KernelContext,
} from '@avatarme/kernels';
import type { PosedSurface } from '../surface/surface.ts';

/** What de-lighting needs per texel of the UV layout beyond the unwrap's maps (all S×S row-major). */
export interface LayoutTexels {
  /** Cosine-weighted ambient visibility of the fitted mesh, interpolated from its vertices [S·S]. */
  visibility: Float32Array;
  /** Index of the texel holding each texel's mirror image, −1 outside the layout [S·S]. */
  mirrorOf: Int32Array;
  /** Triangle under each texel, −1 outside the layout [S·S]. */
  triangle: Int32Array;
}

/**
 * Ambient visibility per vertex (kernels' ambientOcclusion: the mesh rasterised orthographically from
 * 32 directions at 192², as the renderer's occlusion) carried onto the UV layout with the mirror UVs:
 * rasterise the layout, interpolate, read back once.
 */
export async function layoutTexels(
  ctx: KernelContext,
  surface: PosedSurface,
  size: number,
): Promise<LayoutTexels> {
  const { positions, uvs, triangles } = surface.mesh;
  const vertices = positions.length / 3;
  const ao = await ambientOcclusion(ctx, positions, surface.normals, triangles, {
    directions: 32,
    resolution: 192,
  });
  const attr = new Float32Array(vertices * 4);
  const clip = new Float32Array(vertices * 4);
  for (let v = 0; v < vertices; v++) {
    attr.set([ao[v], surface.mirrorUvs[2 * v], surface.mirrorUvs[2 * v + 1], 0], 4 * v);
    clip.set([uvs[2 * v] * 2 - 1, uvs[2 * v + 1] * 2 - 1, 0, 1], 4 * v);
  }
  const tris = Triangles.create(ctx, triangles, vertices, 'delight.triangles');
  const clipT = Tensor.fromArray(ctx, clip, [vertices, 1, 1, 4], 'delight.uvClip');
  const attrT = Tensor.fromArray(ctx, attr, [vertices, 1, 1, 4], 'delight.attributes');
  const raster = rasterize(ctx, clipT, tris, { width: size, height: size, label: 'delight.uvRaster' });
  const values = interpolate(ctx, attrT, raster, tris, 'delight.texels');
  try {
    const [r, a] = await Promise.all([raster.read(), values.read()]);
    return layoutFromRaster(size, r, a);
  } finally {
    for (const t of [clipT, attrT, raster, values]) t.dispose();
    tris.dispose();
  }
}

/** The read-backs turned into per-texel arrays: raster [S·S·4] (lane 3 = id + 1), attributes [S·S·4] (visibility, mirror u, v). */
export function layoutFromRaster(size: number, raster: Float32Array, attributes: Float32Array): LayoutTexels {
  const texels = size * size;
  const visibility = new Float32Array(texels);
  const mirrorOf = new Int32Array(texels).fill(-1);
  const triangle = new Int32Array(texels).fill(-1);
  for (let i = 0; i < texels; i++) {
    const id = raster[4 * i + 3] - 1;
    if (id < 0) continue;
    triangle[i] = id;
    visibility[i] = Math.min(1, Math.max(0, attributes[4 * i]));
    const x = Math.floor(attributes[4 * i + 1] * size);
    const y = Math.floor(attributes[4 * i + 2] * size);
    if (x >= 0 && y >= 0 && x < size && y < size) mirrorOf[i] = y * size + x;
  }
  return { visibility, mirrorOf, triangle };
}
