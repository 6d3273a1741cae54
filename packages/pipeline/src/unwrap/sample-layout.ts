import { interpolate, rasterize, Tensor, texture, Triangles, type KernelContext } from '@avatarme/kernels';
import { clipPositions, depthRangeOf } from '../fit/camera.ts';
import { texelConfidence } from './texels.ts';

/** A mesh fitted to a photo, as the UV-layout sampling needs it (one UV per vertex, v down). */
export interface LayoutMesh {
  /** Model-space positions and unit normals [V·3]. */
  positions: Float32Array;
  normals: Float32Array;
  /** [V·2] in [0, 1]. */
  uvs: Float32Array;
  triangles: Uint32Array;
  /** Photo camera frame (pixels, z away from the camera) [V·3]. */
  cameraPositions: Float32Array;
  cameraNormals: Float32Array;
  /** Each vertex's mirror image's UV [V·2]. */
  mirrorUvs: Float32Array;
}

export interface LayoutSampleOptions {
  size: number;
  width: number;
  height: number;
  minFacing: number;
  depthTolerancePx?: number;
  /**
   * Also require all four bilinear taps of a texel's photo sample to show its own surface (covered,
   * depth within the tolerance), so that no seen texel mixes in an occluding edge or the background:
   * matters where surfaces overlap (eyelids over eyeballs, lips over teeth, ears). Default false.
   */
  cleanTaps?: boolean;
  /**
   * With cleanTaps: a surface id per triangle; a tap must then also show a triangle of the texel's own
   * surface, which the depth test alone cannot tell when surfaces lie within its tolerance of each
   * other (an eyelid a millimetre in front of the eyeball).
   */
  surfaceOfTriangle?: Uint8Array;
  /**
   * Called with the samples once visibility is decided and before the mirror pass: may zero more
   * texels' confidence (occluders), so that they are neither seen nor mirrored from.
   */
  rejectSeen?: (samples: Omit<LayoutSamples, 'mirrored' | 'mirrorUv'>) => void;
}

/** Per-texel read-backs of the UV layout, all S×S row-major. */
export interface LayoutSamples {
  /** Raster of the layout [S·S·4] (lane 3 = triangle id + 1, 0 outside). */
  uvRaster: Float32Array;
  /**
   * Interpolated attributes [S·S·C]: camera x, y (pixels), z (NDC), camera normal (0–5), model
   * position (6–8), model normal (9–11).
   */
  attributes: Float32Array;
  channels: number;
  /** The photo sampled (bilinear) where each texel projects [S·S·3], before visibility. */
  observed: Float32Array;
  /** Visibility confidence (texels.ts) [S·S]. */
  confidence: Float32Array;
  /** The observed RGBA (rgb·seen, seen) sampled at each texel's mirror UV [S·S·4]. */
  mirrored: Float32Array;
  /** Each texel's mirror image's UV (v down), 0 outside the layout [S·S·2]. */
  mirrorUv: Float32Array;
}

function vertexAttributes(mesh: LayoutMesh, depthRange: [number, number], channels: number): Float32Array {
  const v = mesh.positions.length / 3;
  const out = new Float32Array(v * channels);
  const [z0, z1] = depthRange;
  const p = mesh.cameraPositions;
  for (let i = 0; i < v; i++) {
    const o = channels * i;
    out.set([p[3 * i], p[3 * i + 1], ((p[3 * i + 2] - z0) / (z1 - z0)) * 2 - 1], o);
    out.set(mesh.cameraNormals.subarray(3 * i, 3 * i + 3), o + 3);
    out.set(mesh.positions.subarray(3 * i, 3 * i + 3), o + 6);
    out.set(mesh.normals.subarray(3 * i, 3 * i + 3), o + 9);
  }
  return out;
}

/**
 * The GPU half of an unwrap: rasterise the UV layout (every texel learns its triangle and
 * barycentrics) and interpolate the camera-frame and model-space points and normals; rasterise the
 * mesh into the photo for a z-buffer; a texel is seen where it is the nearest surface at its pixel and
 * faces the camera; sample the photo there (bilinear), and the seen colours again at the mirror UVs.
 * photo: [1, H, W, 3] RGB in [0, 1].
 */
export async function sampleLayout(
  ctx: KernelContext,
  photo: Tensor,
  mesh: LayoutMesh,
  opts: LayoutSampleOptions,
): Promise<LayoutSamples> {
  const { size, width, height } = opts;
  const vertices = mesh.positions.length / 3;
  const channels = 12;
  const depthRange = depthRangeOf(mesh.cameraPositions);
  const tris = Triangles.create(ctx, mesh.triangles, vertices, 'unwrap.triangles');
  const uvClip = new Float32Array(vertices * 4);
  for (let i = 0; i < vertices; i++)
    uvClip.set([mesh.uvs[2 * i] * 2 - 1, mesh.uvs[2 * i + 1] * 2 - 1, 0, 1], 4 * i);
  const uvPos = Tensor.fromArray(ctx, uvClip, [vertices, 1, 1, 4], 'unwrap.uvClip');
  const camPos = Tensor.fromArray(
    ctx,
    clipPositions({ width, height }, mesh.cameraPositions, depthRange),
    [vertices, 1, 1, 4],
    'unwrap.clip',
  );
  const attrs = Tensor.fromArray(
    ctx,
    vertexAttributes(mesh, depthRange, channels),
    [vertices, 1, 1, channels],
    'unwrap.vertexAttributes',
  );
  const mirrorAttr = Tensor.fromArray(ctx, mesh.mirrorUvs, [vertices, 1, 1, 2], 'unwrap.vertexMirrorUv');

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
  const [uvRaster, attributes, depthAtPixel, observed, photoRaster] = await Promise.all([
    uvRast.read(),
    uvAttrs.read(),
    depthAt.read(),
    colour.read(),
    opts.cleanTaps ? photoRast.read() : undefined,
  ]);
  for (const t of [uvPos, camPos, attrs, mirrorAttr, photoRast, depthAt, colour, uvAttrs]) t.dispose();
  tris.dispose();

  const depthSpan = depthRange[1] - depthRange[0];
  const tolPx = opts.depthTolerancePx ?? Math.max(2, 0.02 * depthSpan);
  const confidence = texelConfidence({
    uvRaster,
    camera: attributes,
    cameraChannels: channels,
    depthAtPixel,
    width,
    height,
    minFacing: opts.minFacing,
    depthTolerance: (2 * tolPx) / depthSpan,
  });
  if (photoRaster) {
    rejectMixedTaps(confidence, uvRaster, attributes, channels, {
      photoRaster,
      width,
      height,
      tolerance: (2 * tolPx) / depthSpan,
      surfaceOfTriangle: opts.surfaceOfTriangle,
    });
  }
  opts.rejectSeen?.({ uvRaster, attributes, channels, observed, confidence });
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
  const [mirrored, mirrorUv] = await Promise.all([mirroredT.read(), mirrorCoords.read()]);
  for (const t of [seen, mirroredT, mirrorCoords, uvRast]) t.dispose();
  return { uvRaster, attributes, channels, observed, confidence, mirrored, mirrorUv };
}

/**
 * Zeroes the confidence of texels whose bilinear photo sample (taps at floor(x − ½) + {0, 1}, clamped
 * like the texture kernel) touches a pixel of another surface or of the background: a tap must be
 * covered, within `tolerance` (NDC depth) of the texel's own depth and, given surface ids per
 * triangle, show the texel's own surface.
 */
export function rejectMixedTaps(
  confidence: Float32Array,
  uvRaster: Float32Array,
  attributes: Float32Array,
  channels: number,
  p: {
    photoRaster: Float32Array;
    width: number;
    height: number;
    tolerance: number;
    surfaceOfTriangle?: Uint8Array;
  },
): void {
  const surface = p.surfaceOfTriangle;
  for (let i = 0; i < confidence.length; i++) {
    if (confidence[i] <= 0) continue;
    const [x, y, z] = [attributes[channels * i], attributes[channels * i + 1], attributes[channels * i + 2]];
    const own = surface ? surface[uvRaster[4 * i + 3] - 1] : 0;
    const x0 = Math.floor(x - 0.5);
    const y0 = Math.floor(y - 0.5);
    for (let t = 0; t < 4; t++) {
      const px = Math.min(p.width - 1, Math.max(0, x0 + (t & 1)));
      const py = Math.min(p.height - 1, Math.max(0, y0 + (t >> 1)));
      const k = 4 * (py * p.width + px);
      const id = p.photoRaster[k + 3];
      if (
        id === 0 ||
        Math.abs(p.photoRaster[k + 2] - z) > p.tolerance ||
        (surface && surface[id - 1] !== own)
      ) {
        confidence[i] = 0;
        break;
      }
    }
  }
}

/** Channels [from, from + count) of an interleaved [N·channels] array, as [N·count]. */
export function channelSlice(
  data: Float32Array,
  channels: number,
  from: number,
  count: number,
): Float32Array {
  const n = data.length / channels;
  const out = new Float32Array(n * count);
  for (let i = 0; i < n; i++)
    for (let k = 0; k < count; k++) out[i * count + k] = data[i * channels + from + k];
  return out;
}

/** Normalises each xyz vector in place (zero vectors stay zero). */
export function normaliseVectors(v: Float32Array): Float32Array {
  for (let i = 0; i < v.length; i += 3) {
    const len = Math.hypot(v[i], v[i + 1], v[i + 2]);
    if (len > 0) for (let k = 0; k < 3; k++) v[i + k] /= len;
  }
  return v;
}
