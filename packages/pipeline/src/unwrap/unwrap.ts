import { pushPullInpaint, Tensor, type KernelContext, type PatchMatchOptions } from '@avatarme/kernels';
import { deshadedSkinTone, farFromKnown } from './fill.ts';
import { completeIrises, type IrisDisc, type IrisStats } from './iris.ts';
import {
  lipCompletion,
  MOUTH_PIXEL,
  mouthPixels,
  texelsReading,
  type MouthContours,
} from './mouth-opening.ts';
import { interiorVisibility, medianLightness } from './mouth-interior.ts';
import { occludedTexels } from './occluders.ts';
import type { PosedSurface, Rgb } from '../surface/surface.ts';
import { channelSlice, normaliseVectors, sampleLayout, type LayoutSamples } from './sample-layout.ts';
import { addSkinDetail, detailSigma, skinResidual, texelPitch } from './skin-detail.ts';
import {
  completeAlbedo,
  exemplarClasses,
  mirrorTexels,
  scalpTexels,
  type ExemplarClasses,
} from './complete-albedo.ts';
import { completionStats, mirrorComplete, TexelSource, type CompletionStats } from './texels.ts';

export interface UnwrapOptions {
  /** Side of the square UV maps (default 512). */
  uvSize?: number;
  /** Minimum cosine between normal and view direction for a texel to count as seen (default 0.15). */
  minFacing?: number;
  /** Depth tolerance of the z-buffer test in pixels of the camera frame (default 2% of the face's depth range, at least 2 px). */
  depthTolerancePx?: number;
  /** Treat hair, clothing and the like over bare-skin parts as unseen (occluders.ts; default true). */
  maskOccluders?: boolean;
  /**
   * How texels the photo does not show get their texture: 'exemplar' (complete-albedo.ts: symmetry
   * blended in the gradient domain, region-constrained PatchMatch for the rest) or 'push-pull' (the
   * region fill plus blocks of the photo's skin grain). Default 'push-pull'.
   */
  completion?: 'exemplar' | 'push-pull';
  /** PatchMatch settings of the 'exemplar' completion (completeAlbedo's defaults otherwise). */
  patchMatch?: PatchMatchOptions;
  /** Irises in the photo (face/iris.ts): the surface's eyeball regions get round irises (iris.ts). */
  irises?: readonly IrisDisc[];
  /**
   * The photo's lip contours (mouth-opening.ts): skin and lip texels that read the photo's mouth
   * opening (teeth, the dark inside) count as unseen and are completed from the lips around them.
   */
  mouth?: MouthContours;
}

/**
 * How far (cm) a fringe's strands may be followed down into the band kept around the brows: the
 * upper half of its 1 cm. The sample's fringe ends there; a brow's own hair lies within about 0.5 cm
 * of its landmarks, and a fringe that reached it could not be told from it by colour.
 */
const FRINGE_REACH_CM = 0.5;

/**
 * Width (cm) of an occluder's soft edge (occludedTexels' edgeSteps): the blur of a fringe's edge with
 * the skin under it, and the hair's shadow there. On the sample it is one or two texels at 256²
 * (0.16 cm each) below the fringe, a brown line once the fringe was completed as skin.
 */
const OCCLUDER_EDGE_CM = 0.3;

/**
 * Model-space height (y) of the nose bridge (the specular prior's second bump, carried onto every
 * surface): what lies above it in the skin region is forehead, brows and upper lids. Undefined where
 * the surface has no such bump.
 */
export function noseBridgeHeight(
  size: number,
  positions: ArrayLike<number>,
  surface: Pick<PosedSurface, 'specularPrior'>,
): number | undefined {
  const bridge = surface.specularPrior[1];
  if (!bridge) return undefined;
  const b =
    Math.min(size - 1, Math.floor(bridge.v * size)) * size + Math.min(size - 1, Math.floor(bridge.u * size));
  return positions[3 * b + 1];
}

/**
 * The texels a fringe may be followed into (occludedTexels' growInto): the skin region's texels kept
 * around features (neither core skin nor occludable: the 1 cm around brows, lids, nostrils and lips)
 * above the nose bridge (the second bump of the specular prior, carried onto every surface), i.e.
 * the brows' band and the upper lids'. No bound above or to the sides: the band's top and outer ends
 * are where a fringe's tips fall. positions: model space per texel [S·S·3]; triangle per texel, −1
 * outside [S·S].
 */
export function browBandTexels(
  size: number,
  positions: ArrayLike<number>,
  triangle: Int32Array,
  surface: Pick<
    PosedSurface,
    'skinOfTriangle' | 'occludableOfTriangle' | 'regionOfTriangle' | 'regions' | 'specularPrior'
  >,
): Uint8Array {
  const out = new Uint8Array(size * size);
  const bridgeY = noseBridgeHeight(size, positions, surface);
  const skinRegion = 1 + surface.regions.findIndex((r) => r.name === 'skin');
  if (bridgeY === undefined || skinRegion === 0) return out;
  for (let i = 0; i < size * size; i++) {
    const t = triangle[i];
    if (t < 0 || surface.skinOfTriangle[t] || surface.occludableOfTriangle[t]) continue;
    if (surface.regionOfTriangle[t] === skinRegion && positions[3 * i + 1] > bridgeY) out[i] = 1;
  }
  return out;
}

/** Push-pull inpainting of the S×S colour map rgb [S·S·3] from its known texels [S·S]. */
async function pushPull(ctx: KernelContext, size: number, rgb: Float32Array, known: Float32Array) {
  const partial = Tensor.fromArray(ctx, rgb, [1, size, size, 3], 'unwrap.partial');
  const mask = Tensor.fromArray(ctx, known, [1, size, size, 1], 'unwrap.known');
  const inpainted = pushPullInpaint(ctx, partial, mask);
  const out = await inpainted.read();
  for (const t of [partial, mask, inpainted]) t.dispose();
  return out;
}

/** CompletionStats with the unseen texels split into the push-pull band and the region fill. */
export interface UnwrapStats extends CompletionStats {
  /** Texels given their region's fill colour outright (a subset of `inpainted`; the rest is the blend band). */
  filled: number;
  /** Texels the photo shows but covered by an occluder (hair, clothing …), completed like unseen ones. */
  occluded: number;
  /** Skin and lip texels the photo shows reading its mouth opening (mouth-opening.ts), completed like unseen ones. */
  inMouth: number;
  /** Completed skin texels given the photo's skin grain (skin-detail.ts). */
  detailed: number;
  /** Texels synthesised by exemplar completion (completion 'exemplar'; else 0). */
  synthesised: number;
  /** Eyeball texels under the eyelids given the seen iris's colours, and given the sclera (iris.ts). */
  iris: IrisStats;
  observedShare: number;
  mirroredShare: number;
  filledShare: number;
}

/** Maps of size S×S, row-major, v down (row 0 = v near 0). */
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
  /** 1 on texels given their region's fill colour outright (source `inpainted`, beyond the band) [S·S]. */
  filledMask: Uint8Array;
  /** 1 on texels the photo shows covered by an occluder [S·S]. */
  occluded: Uint8Array;
  /** 1 on skin and lip texels that read the photo's mouth opening [S·S]. */
  inMouth: Uint8Array;
  /** Model-space position per texel, 0 outside the layout [S·S·3]. */
  positionMap: Float32Array;
  /** Model-space unit normal per texel, 0 outside the layout [S·S·3]. */
  normalMap: Float32Array;
  /** The observed skin's colour with the low-frequency shading divided out (sRGB). */
  skinTone: Rgb;
  /** Each texel's mirror texel (y·S + x), −1 where none [S·S]: completeAlbedo's `mirror`. */
  mirrorTexel: Int32Array;
  /** Exemplar classes of the layout (cheek from cheek, scalp from forehead): completeAlbedo's `regions`. */
  exemplarClasses: ExemplarClasses;
  stats: UnwrapStats;
}

/**
 * Unwraps the photo onto any fitted surface's UV layout. On the GPU (sample-layout.ts): rasterise the
 * layout, interpolate camera-frame and model-space points and normals, z-buffer the mesh in the
 * photo; a texel is seen where it is the nearest surface at its pixel and faces the camera, and takes
 * the photo's colour there (bilinear). On parts that should be bare skin, a texel whose colour is
 * unlike the surface's core skin (hair, clothing, glasses: occluders.ts) counts as unseen.
 * Completion, per region of the surface:
 * 1. mirror: an unseen texel whose mirror image was seen takes its colour;
 * 2. fill: texels farther than their region's band (in 3-D) from any seen or mirrored texel of the
 *    same region take the region's fill colour (skin: the observed skin's de-shaded tone, fill.ts);
 * 3. push-pull inpainting fills the rest, blending the known border into the fill;
 * 4. completed skin takes blocks of the photo's own skin texture (skin-detail.ts), so it is not flat;
 *    or, with completion 'exemplar', steps 1–4 give only the start of completeAlbedo.
 * photo: [1, H, W, 3] RGB in [0, 1], the size of surface.camera.
 */
export async function unwrapSurface(
  ctx: KernelContext,
  photo: Tensor,
  surface: PosedSurface,
  opts: UnwrapOptions = {},
): Promise<UnwrapResult> {
  const size = opts.uvSize ?? 512;
  const { width, height } = surface.camera;
  if (photo.w !== width || photo.h !== height || photo.c !== 3) {
    throw new RangeError(
      `unwrap: photo [${photo.shape.join(', ')}] must be [1, ${height}, ${width}, 3] like the fit`,
    );
  }
  const triangleOf = (raster: Float32Array, i: number) => raster[4 * i + 3] - 1;
  const perTexel = (raster: Float32Array, weight: Float32Array, flags: Uint8Array) =>
    weight.map((c, i) => (c > 0 && flags[triangleOf(raster, i)] ? c : 0));
  const regionOf = (raster: Float32Array) =>
    Uint8Array.from({ length: size * size }, (_, i) => {
      const t = triangleOf(raster, i);
      return t >= 0 ? surface.regionOfTriangle[t] : 0;
    });
  const skinRegion = 1 + surface.regions.findIndex((r) => r.grain === true);
  let occluded: Uint8Array = new Uint8Array(size * size);
  let inMouth: Uint8Array = new Uint8Array(size * size);
  let readsLips: Uint8Array = new Uint8Array(size * size);
  const photoPixels = opts.mouth ? await photo.read() : undefined;
  const mouth = opts.mouth && photoPixels ? mouthPixels(photoPixels, width, height, opts.mouth) : undefined;
  const occluders = (l: Omit<LayoutSamples, 'mirrored' | 'mirrorUv'>) => {
    const normals = normaliseVectors(channelSlice(l.attributes, l.channels, 9, 3));
    const positions = channelSlice(l.attributes, l.channels, 6, 3);
    const reference = perTexel(l.uvRaster, l.confidence, surface.skinOfTriangle);
    const triangle = Int32Array.from({ length: size * size }, (_, i) => triangleOf(l.uvRaster, i));
    const pitch = texelPitch(size, positions, reference);
    occluded = occludedTexels(
      size,
      l.observed,
      normals,
      reference,
      perTexel(l.uvRaster, l.confidence, surface.occludableOfTriangle),
      {
        hairProne: scalpTexels(size, regionOf(l.uvRaster), skinRegion, positions, normals, reference),
        growInto: browBandTexels(size, positions, triangle, surface),
        growIntoSteps: pitch > 0 ? Math.round(FRINGE_REACH_CM / pitch) : 0,
        edgeSteps: pitch > 0 ? Math.max(1, Math.round(OCCLUDER_EDGE_CM / pitch)) : 0,
      },
    );
    occluded.forEach((o, i) => o && (l.confidence[i] = 0));
  };
  const layoutMesh = {
    positions: surface.mesh.positions,
    normals: surface.normals,
    uvs: surface.mesh.uvs,
    triangles: surface.mesh.triangles,
    cameraPositions: surface.cameraPositions,
    cameraNormals: surface.cameraNormals,
    mirrorUvs: surface.mirrorUvs,
  };
  const visibility = {
    size,
    width,
    height,
    minFacing: opts.minFacing ?? 0.15,
    depthTolerancePx: opts.depthTolerancePx,
  };
  const interior =
    mouth && surface.regions.some((r) => r.insideMouth)
      ? await interiorVisibility(
          ctx,
          photo,
          layoutMesh,
          surface.regionOfTriangle,
          (r) => surface.regions[r - 1]?.insideMouth === true,
          {
            pixels: mouth,
            label: MOUTH_PIXEL.opening,
            lipsL: medianLightness(photoPixels!, mouth, MOUTH_PIXEL.lips),
          },
          visibility,
        )
      : undefined;
  const s = await sampleLayout(ctx, photo, layoutMesh, {
    ...visibility,
    cleanTaps: surface.cleanTaps,
    surfaceOfTriangle: surface.regionOfTriangle,
    rejectSeen: (l) => {
      if (opts.maskOccluders !== false) occluders(l);
      // Teeth, gums and tongue are seen where the photo's opening shows them, the fitted lips or not
      // (mouth-interior.ts); skin and lips that read the opening are unseen.
      interior?.inside.forEach((k, i) => k && (l.confidence[i] = interior.confidence[i]));
      if (mouth) {
        const skin = (i: number) =>
          l.confidence[i] > 0 && surface.regionOfTriangle[triangleOf(l.uvRaster, i)] === skinRegion;
        const reading = (label: number) =>
          texelsReading(size, l.attributes, l.channels, skin, mouth, label, width, height);
        inMouth = reading(MOUTH_PIXEL.opening);
        inMouth.forEach((o, i) => o && (l.confidence[i] = 0));
        readsLips = reading(MOUTH_PIXEL.lips);
      }
    },
  });
  const texels = size * size;
  const { uvRaster, confidence, observed } = s;
  const completed = mirrorComplete(observed, confidence, s.mirrored, uvRaster);
  for (let i = 0; i < texels; i++) if (confidence[i] <= 0) observed.fill(0, 3 * i, 3 * i + 3);

  const positionMap = channelSlice(s.attributes, s.channels, 6, 3);
  const normalMap = normaliseVectors(channelSlice(s.attributes, s.channels, 9, 3));
  const skinConfidence = perTexel(uvRaster, confidence, surface.skinOfTriangle);
  const { tone, deshaded, lit } = deshadedSkinTone(observed, normalMap, skinConfidence);

  const region = regionOf(uvRaster);
  const bands = [0, ...surface.regions.map((r) => r.band)];
  const far = farFromKnown(completed.known, region, positionMap, bands);
  let filled = 0;
  for (let i = 0; i < texels; i++) {
    const fill = far[i] ? surface.regions[region[i] - 1].fill : undefined;
    if (!fill) continue;
    completed.rgb.set(fill(tone), 3 * i);
    completed.known[i] = 1;
    filled++;
  }
  const texture = await pushPull(ctx, size, completed.rgb, completed.known);
  // What an occluder covered was bare skin (or the band above the brows): completed from bare skin and
  // the skin fill alone. From every known texel, the brows' and a fringe lock's dark hair beside it
  // was pulled into the forehead as a brown smear above the brows.
  if (occluded.some((o) => o > 0)) {
    const bare = Float32Array.from(completed.known, (k, i) => {
      const t = triangleOf(uvRaster, i);
      return k && (far[i] || (t >= 0 && (surface.skinOfTriangle[t] || surface.occludableOfTriangle[t])))
        ? 1
        : 0;
    });
    const fromSkin = await pushPull(ctx, size, completed.rgb, bare);
    for (let i = 0; i < texels; i++)
      if (occluded[i] && !completed.known[i]) texture.set(fromSkin.subarray(3 * i, 3 * i + 3), 3 * i);
  }
  // What read the mouth's opening is lip (or the skin at its corners), and so are the unseen skin-region
  // texels within the lips' extent (the inner lips, rolled into a closed mouth): completed from the
  // texels that read the photo's lips alone, not from the skin around them (a pale, skin-toned strip).
  const fromLipsMask = lipCompletion(
    size,
    inMouth,
    readsLips,
    completed.known,
    region,
    skinRegion,
    positionMap,
  );
  if (fromLipsMask.some((o) => o > 0)) {
    const lips = Float32Array.from(readsLips, (r, i) => (r && confidence[i] > 0 ? 1 : 0));
    const fromLips = await pushPull(ctx, size, completed.rgb, lips);
    for (let i = 0; i < texels; i++)
      if (fromLipsMask[i]) texture.set(fromLips.subarray(3 * i, 3 * i + 3), 3 * i);
  }
  const grainy = surface.regions.map((r) => r.grain === true);
  const mirrorTexel = mirrorTexels(size, s.mirrorUv, region);
  // The lips are an exemplar class of their own: what push-pull completes from the lips (fromLipsMask),
  // the exemplar completion synthesises from the seen lips, not from the cheeks.
  const lips = Uint8Array.from(fromLipsMask, (m, i) => (m || (readsLips[i] && confidence[i] > 0) ? 1 : 0));
  const classes = exemplarClasses(size, region, skinRegion, positionMap, normalMap, skinConfidence, lips);
  let detailed = 0;
  let synthesised = 0;
  if (opts.completion === 'exemplar') {
    const done = await completeAlbedo(ctx, {
      size,
      albedo: observed,
      observedMask: confidence,
      mirror: mirrorTexel,
      regions: classes,
      initial: texture,
      patchMatch: opts.patchMatch,
    });
    texture.set(done.albedo);
    synthesised = done.stats.synthesised;
  } else {
    const sigma = detailSigma(size, positionMap, skinConfidence);
    detailed = addSkinDetail(
      size,
      texture,
      // From the de-shaded skin: the photo's shading within a centimetre (the nose's sides and ridge,
      // the cheekbones' terminator) copied onto a flat scalp reads as streaks.
      skinResidual(size, deshaded, lit, sigma),
      // Lips have no skin grain: not on the texels completed from them either.
      completed.source.map((src, i) =>
        src === TexelSource.inpainted && grainy[region[i] - 1] && !fromLipsMask[i] ? 1 : 0,
      ),
      sigma,
    );
  }

  const eyeballs = surface.regions.flatMap((r, k) =>
    r.iris ? [{ id: k + 1, sclera: r.fill?.(tone) ?? ([0.86, 0.84, 0.82] as Rgb) }] : [],
  );
  const iris =
    opts.irises?.length && eyeballs.length
      ? completeIrises(
          { size, texture, confidence, region, attributes: s.attributes, channels: s.channels },
          opts.irises,
          eyeballs,
        )
      : { completed: 0, sclera: 0 };

  const base = completionStats(completed.source);
  const share = (n: number) => (base.layout ? n / base.layout : 0);
  return {
    size,
    texture,
    observed,
    confidence,
    skinConfidence,
    source: completed.source,
    filledMask: far,
    occluded,
    inMouth,
    positionMap,
    normalMap,
    skinTone: tone,
    mirrorTexel,
    exemplarClasses: classes,
    stats: {
      ...base,
      filled,
      occluded: occluded.reduce((a, b) => a + b, 0),
      inMouth: inMouth.reduce((a, b) => a + b, 0),
      detailed,
      synthesised,
      iris,
      observedShare: share(base.observed),
      mirroredShare: share(base.mirrored),
      filledShare: share(filled),
    },
  };
}
