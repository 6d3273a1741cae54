import { pushPullInpaint, Tensor, type KernelContext } from '@avatarme/kernels';
import type { FaceFit } from '../fit/face-fit.ts';
import { canonicalFace, mirrorVertexMap, skinTriangles } from '../mesh/face-mesh.ts';
import { channelSlice, normaliseVectors, sampleLayout } from './sample-layout.ts';
import { completionStats, mirrorComplete, type CompletionStats } from './texels.ts';

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
  const { uvRaster, attributes, observed, confidence, mirrored } = await sampleLayout(
    ctx,
    photo,
    {
      positions: mesh.positions,
      normals: fit.normals,
      uvs: mesh.uvs,
      triangles: mesh.triangles,
      cameraPositions: fit.cameraPositions,
      cameraNormals: fit.cameraNormals,
      mirrorUvs: mirrorUvs(fit),
    },
    { size, width, height, minFacing: opts.minFacing ?? 0.15, depthTolerancePx: opts.depthTolerancePx },
  );
  const texels = size * size;
  const completed = mirrorComplete(observed, confidence, mirrored, uvRaster);

  const partial = Tensor.fromArray(ctx, completed.rgb, [1, size, size, 3], 'unwrap.partial');
  const known = Tensor.fromArray(ctx, completed.known, [1, size, size, 1], 'unwrap.known');
  const filled = pushPullInpaint(ctx, partial, known);
  const textureRgb = await filled.read();
  for (const t of [partial, known, filled]) t.dispose();

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
    positionMap: channelSlice(attributes, 12, 6, 3),
    normalMap: normaliseVectors(channelSlice(attributes, 12, 9, 3)),
    stats: completionStats(completed.source),
  };
}
