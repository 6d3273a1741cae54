import {
  interpolate,
  pushPullInpaint,
  rasterize,
  Tensor,
  texture,
  Triangles,
  type KernelContext,
} from '@avatarme/kernels';
import { clipPositions, depthRangeOf } from '../fit/camera.ts';
import type { FaceFit } from '../fit/face-fit.ts';
import { canonicalFace, mirrorVertexMap, skinTriangles } from '../mesh/face-mesh.ts';
import { completionStats, mirrorComplete, texelConfidence, type CompletionStats } from './texels.ts';

export interface UnwrapOptions {
  /** Side of the square UV maps (default 512). */
  uvSize?: number;
  /** Minimum cosine between normal and view direction for a texel to count as seen (default 0.15). */
  minFacing?: number;
  /** Depth tolerance of the z-buffer test in pixels of the camera frame (default 2% of the face's depth range, at least 2 px). */
  depthTolerancePx?: number;
}

/** Maps of size S×S, row-major, v down (row 0 = v near 0 = forehead). */
export interface UnwrapResult {
  size: number;
  /** Completed texture, RGB in [0, 1] as in the photo [S·S·3]. */
  texture: Float32Array;
  /** Only what the photo shows (zeros elsewhere) [S·S·3]. */
  observed: Float32Array;
  /** Visibility confidence: cosine to the camera where seen, 0 where not [S·S]. */
  confidence: Float32Array;
  /** `confidence` on skin texels only (not eyes, brows, lips): the weights of the lighting fit [S·S]. */
  skinConfidence: Float32Array;
  /** TexelSource per texel [S·S]. */
  source: Uint8Array;
  /** Model-space position per texel, 0 outside the layout [S·S·3]. */
  positionMap: Float32Array;
  /** Model-space unit normal per texel, 0 outside the layout [S·S·3]. */
  normalMap: Float32Array;
  stats: CompletionStats;
}

function vertexAttributes(fit: FaceFit, depthRange: [number, number]): Float32Array {
  const v = fit.mesh.positions.length / 3;
  const out = new Float32Array(v * 12);
  const [z0, z1] = depthRange;
  for (let i = 0; i < v; i++) {
    const p = fit.cameraPositions;
    out.set([p[3 * i], p[3 * i + 1], ((p[3 * i + 2] - z0) / (z1 - z0)) * 2 - 1], 12 * i);
    out.set(fit.cameraNormals.subarray(3 * i, 3 * i + 3), 12 * i + 3);
    out.set(fit.mesh.positions.subarray(3 * i, 3 * i + 3), 12 * i + 6);
    out.set(fit.normals.subarray(3 * i, 3 * i + 3), 12 * i + 9);
  }
  return out;
}

let canonicalMirror: Uint32Array | undefined;

/**
 * Each fine vertex's mirror UV. The fine UVs are linear in the coarse ones (the subdivision keeps the
 * coarse vertices' indices and adds midpoints), so mirroring the coarse UVs and subdividing them is exact.
 */
function mirrorUvs(fit: FaceFit): Float32Array {
  canonicalMirror ??= mirrorVertexMap(canonicalFace().positions);
  const map = canonicalMirror;
  const coarseMirror = new Float32Array(map.length * 2);
  for (let i = 0; i < map.length; i++)
    coarseMirror.set(fit.mesh.uvs.subarray(2 * map[i], 2 * map[i] + 2), 2 * i);
  return fit.subdivision.apply(coarseMirror, 2, 'linear');
}

function split(data: Float32Array, channels: number, from: number, count: number): Float32Array {
  const n = data.length / channels;
  const out = new Float32Array(n * count);
  for (let i = 0; i < n; i++)
    for (let k = 0; k < count; k++) out[i * count + k] = data[i * channels + from + k];
  return out;
}

/**
 * Unwraps the photo into the face's UV layout on the GPU: rasterise the UV layout (every texel learns
 * its triangle and barycentrics) and interpolate the camera-frame point and normal and the model-space
 * point and normal; rasterise the mesh into the photo for a z-buffer; a texel is seen where it is the
 * nearest surface at its pixel and faces the camera; sample the photo there (bilinear). Hidden texels
 * take their mirror image's colour when that was seen, and push-pull inpainting fills the rest.
 * photo: [1, H, W, 3] RGB in [0, 1] (the size must match fit.camera).
 */
export async function unwrapFace(
  ctx: KernelContext,
  photo: Tensor,
  fit: FaceFit,
  opts: UnwrapOptions = {},
): Promise<UnwrapResult> {
  const size = opts.uvSize ?? 512;
  const { width, height } = fit.camera;
  if (photo.w !== width || photo.h !== height || photo.c !== 3) {
    throw new RangeError(
      `unwrapFace: photo [${photo.shape.join(', ')}] must be [1, ${height}, ${width}, 3] like the fit`,
    );
  }
  const mesh = fit.mesh;
  const vertices = mesh.positions.length / 3;
  const depthRange = depthRangeOf(fit.cameraPositions);
  const tris = Triangles.create(ctx, mesh.triangles, vertices, 'face.triangles');
  const uvClip = new Float32Array(vertices * 4);
  for (let i = 0; i < vertices; i++)
    uvClip.set([mesh.uvs[2 * i] * 2 - 1, mesh.uvs[2 * i + 1] * 2 - 1, 0, 1], 4 * i);
  const uvPos = Tensor.fromArray(ctx, uvClip, [vertices, 1, 1, 4], 'face.uvClip');
  const camPos = Tensor.fromArray(
    ctx,
    clipPositions(fit.camera, fit.cameraPositions, depthRange),
    [vertices, 1, 1, 4],
    'face.clip',
  );
  const attrs = Tensor.fromArray(
    ctx,
    vertexAttributes(fit, depthRange),
    [vertices, 1, 1, 12],
    'face.attributes',
  );
  const mirrorAttr = Tensor.fromArray(ctx, mirrorUvs(fit), [vertices, 1, 1, 2], 'face.mirrorUv');

  const uvRast = rasterize(ctx, uvPos, tris, { width: size, height: size, label: 'unwrap.uvRaster' });
  const uvAttrs = interpolate(ctx, attrs, uvRast, tris, 'unwrap.attributes');
  const mirrorCoords = interpolate(ctx, mirrorAttr, uvRast, tris, 'unwrap.mirrorUv');
  const photoRast = rasterize(ctx, camPos, tris, { width, height, label: 'unwrap.photoRaster' });
  const depthAt = texture(ctx, photoRast, uvAttrs, {
    space: 'pixel',
    filter: 'nearest',
    mask: uvRast,
    label: 'unwrap.depthAt',
  });
  const colour = texture(ctx, photo, uvAttrs, {
    space: 'pixel',
    filter: 'bilinear',
    mask: uvRast,
    label: 'unwrap.colour',
  });
  const [uvRaster, camera, depthAtPixel, observed] = await Promise.all([
    uvRast.read(),
    uvAttrs.read(),
    depthAt.read(),
    colour.read(),
  ]);
  for (const t of [uvPos, camPos, attrs, mirrorAttr, photoRast, depthAt, colour]) t.dispose();

  const depthSpan = depthRange[1] - depthRange[0];
  const tolPx = opts.depthTolerancePx ?? Math.max(2, 0.02 * depthSpan);
  const confidence = texelConfidence({
    uvRaster,
    camera,
    cameraChannels: 12,
    depthAtPixel,
    width,
    height,
    minFacing: opts.minFacing ?? 0.15,
    depthTolerance: (2 * tolPx) / depthSpan,
  });
  const texels = size * size;
  const seenRgba = new Float32Array(texels * 4);
  for (let i = 0; i < texels; i++) {
    if (confidence[i] <= 0) continue;
    seenRgba.set([observed[3 * i], observed[3 * i + 1], observed[3 * i + 2], 1], 4 * i);
  }
  const seen = Tensor.fromArray(ctx, seenRgba, [1, size, size, 4], 'unwrap.seen');
  const mirroredT = texture(ctx, seen, mirrorCoords, {
    space: 'uv',
    filter: 'bilinear',
    mask: uvRast,
    label: 'unwrap.mirror',
  });
  const mirrored = await mirroredT.read();
  for (const t of [seen, mirroredT, mirrorCoords, uvRast]) t.dispose();
  const completed = mirrorComplete(observed, confidence, mirrored, uvRaster);

  const partial = Tensor.fromArray(ctx, completed.rgb, [1, size, size, 3], 'unwrap.partial');
  const known = Tensor.fromArray(ctx, completed.known, [1, size, size, 1], 'unwrap.known');
  const filled = pushPullInpaint(ctx, partial, known);
  const textureRgb = await filled.read();
  for (const t of [partial, known, filled, uvAttrs]) t.dispose();
  tris.dispose();

  for (let i = 0; i < texels; i++) {
    if (confidence[i] <= 0) observed.fill(0, 3 * i, 3 * i + 3);
  }
  // Subdivision splits coarse triangle t into fine triangles 4t … 4t + 3, level after level.
  const skin = skinTriangles(canonicalFace().triangles);
  const perCoarse = 4 ** fit.subdivision.levels.length;
  const skinConfidence = confidence.map((c, i) =>
    c > 0 && skin[Math.floor((uvRaster[4 * i + 3] - 1) / perCoarse)] ? c : 0,
  );
  return {
    size,
    texture: textureRgb,
    observed,
    confidence,
    skinConfidence,
    source: completed.source,
    positionMap: split(camera, 12, 6, 3),
    normalMap: normaliseMap(split(camera, 12, 9, 3)),
    stats: completionStats(completed.source),
  };
}

function normaliseMap(normals: Float32Array): Float32Array {
  for (let i = 0; i < normals.length; i += 3) {
    const len = Math.hypot(normals[i], normals[i + 1], normals[i + 2]);
    if (len > 0) for (let k = 0; k < 3; k++) normals[i + k] /= len;
  }
  return normals;
}
