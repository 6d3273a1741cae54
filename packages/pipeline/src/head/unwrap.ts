import { pushPullInpaint, Tensor, type KernelContext } from '@avatarme/kernels';
import { channelSlice, normaliseVectors, sampleLayout } from '../unwrap/sample-layout.ts';
import { completionStats, mirrorComplete, type CompletionStats } from '../unwrap/texels.ts';
import type { UnwrapOptions, UnwrapResult } from '../unwrap/unwrap.ts';
import { deshadedSkinTone, farFromKnown } from './fill.ts';
import type { HeadGeometry } from './fit.ts';

export interface HeadUnwrapOptions extends UnwrapOptions {
  /**
   * Width (model units: cm) of the band around the observed and mirrored skin where push-pull blends
   * them into the fill (default 2); the eyes, teeth, gums and sockets use a fraction of it.
   */
  blendBandCm?: number;
}

/** CompletionStats with the unseen texels split into the push-pull band and the tone fill. */
export interface HeadCompletionStats extends CompletionStats {
  /** Texels given the fill colour outright (a subset of `inpainted`; the rest is the blend band). */
  filled: number;
  observedShare: number;
  mirroredShare: number;
  filledShare: number;
}

export interface HeadUnwrapResult extends UnwrapResult {
  stats: HeadCompletionStats;
  /** The de-shaded skin tone that fills the unseen skin (sRGB). */
  skinTone: [number, number, number];
  /** 1 on texels given their region's fill colour outright (source `inpainted`, beyond the band) [S·S]. */
  filledMask: Uint8Array;
}

type Rgb = [number, number, number];

/**
 * The surfaces the fill treats apart: each has its own blend band (a share of blendBandCm) and, for
 * the unseen texels beyond it, its own colour — skin the photo's de-shaded tone, cavities a darkened
 * tone, the inside of the mouth and the eyes neutral colours (used only where the photo shows none).
 */
const SURFACES: { regions: string[]; band: number; fill: (tone: Rgb) => Rgb }[] = [
  { regions: ['face', 'head_and_neck'], band: 1, fill: (tone) => tone },
  {
    regions: ['mouth_socket', 'eye_socket_left', 'eye_socket_right'],
    band: 0.5,
    fill: (tone) => tone.map((c) => c * 0.35) as Rgb,
  },
  { regions: ['gums_and_tongue'], band: 0.25, fill: () => [0.62, 0.32, 0.32] },
  { regions: ['teeth'], band: 0.25, fill: () => [0.86, 0.82, 0.74] },
  ...['eyeball_left', 'eyeball_right'].map((region) => ({
    regions: [region],
    band: 0.15,
    fill: (): Rgb => [0.86, 0.84, 0.82], // sclera (the photo gives the iris where it shows)
  })),
];

/** Surface id (1-based index into SURFACES) of each triangle of the head mesh. */
function triangleSurfaces(fit: HeadGeometry): Uint8Array {
  const top = fit.topology;
  const byRegion = top.regionNames.map((name) => 1 + SURFACES.findIndex((s) => s.regions.includes(name)));
  return top.regionOfTriangle.map((r) => byRegion[r]);
}

/**
 * Unwraps the photo onto the head atlas (atlas.ts) — the FaceMesh unwrap's texel logic on the ICT
 * mesh: visibility by z-buffer and facing, bilinear photo samples, then completion in three steps:
 * 1. mirror: an unseen texel whose mirror image across the head's symmetry plane was seen takes its
 *    colour (HeadFit.mirror pairs every vertex with its reflection, so this covers the far cheek, ear
 *    and eye);
 * 2. fill: texels farther than `blendBandCm` (in 3-D) from any seen or mirrored texel take their
 *    region's fill colour — for skin (scalp, neck, ears, back of the head) the observed skin's median
 *    colour with the low-frequency SH shading divided out (fill.ts);
 * 3. push-pull inpainting fills the band between, blending the observed border into the fill.
 * photo: [1, H, W, 3] RGB in [0, 1], the size of fit.camera.
 */
export async function unwrapHead(
  ctx: KernelContext,
  photo: Tensor,
  fit: HeadGeometry,
  opts: HeadUnwrapOptions = {},
): Promise<HeadUnwrapResult> {
  const size = opts.uvSize ?? 512;
  const { width, height } = fit.camera;
  if (photo.w !== width || photo.h !== height || photo.c !== 3) {
    throw new RangeError(
      `unwrapHead: photo [${photo.shape.join(', ')}] must be [1, ${height}, ${width}, 3] like the fit`,
    );
  }
  const surfaceOfTriangle = triangleSurfaces(fit);
  const uvs = fit.mesh.uvs;
  const mirrorUvs = new Float32Array(uvs.length);
  fit.mirror.forEach((m, i) => mirrorUvs.set(uvs.subarray(2 * m, 2 * m + 2), 2 * i));
  const s = await sampleLayout(
    ctx,
    photo,
    {
      positions: fit.mesh.positions,
      normals: fit.normals,
      uvs,
      triangles: fit.mesh.triangles,
      cameraPositions: fit.cameraPositions,
      cameraNormals: fit.cameraNormals,
      mirrorUvs,
      extra: fit.skin,
      extraChannels: 1,
    },
    {
      size,
      width,
      height,
      minFacing: opts.minFacing ?? 0.15,
      depthTolerancePx: opts.depthTolerancePx,
      cleanTaps: true,
      surfaceOfTriangle,
    },
  );
  const texels = size * size;
  const { uvRaster, confidence, observed } = s;
  const completed = mirrorComplete(observed, confidence, s.mirrored, uvRaster);
  for (let i = 0; i < texels; i++) if (confidence[i] <= 0) observed.fill(0, 3 * i, 3 * i + 3);

  const positionMap = channelSlice(s.attributes, s.channels, 6, 3);
  const normalMap = normaliseVectors(channelSlice(s.attributes, s.channels, 9, 3));
  // A texel is skin when all three corners of its triangle are (the interpolated weight is then 1).
  const skinConfidence = confidence.map((c, i) =>
    c > 0 && s.attributes[s.channels * i + 12] > 0.999 ? c : 0,
  );
  const { tone } = deshadedSkinTone(observed, normalMap, skinConfidence);

  const surface = new Uint8Array(texels);
  for (let i = 0; i < texels; i++) {
    const tri = uvRaster[4 * i + 3] - 1;
    if (tri >= 0) surface[i] = surfaceOfTriangle[tri];
  }
  const bandCm = opts.blendBandCm ?? 2;
  const bands = [0, ...SURFACES.map((s) => s.band * bandCm)];
  const far = farFromKnown(completed.known, surface, positionMap, bands);
  let filled = 0;
  for (let i = 0; i < texels; i++) {
    if (!far[i]) continue;
    const colour = SURFACES[surface[i] - 1].fill(tone);
    completed.rgb.set(colour, 3 * i);
    completed.known[i] = 1;
    filled++;
  }
  const partial = Tensor.fromArray(ctx, completed.rgb, [1, size, size, 3], 'unwrapHead.partial');
  const known = Tensor.fromArray(ctx, completed.known, [1, size, size, 1], 'unwrapHead.known');
  const inpainted = pushPullInpaint(ctx, partial, known);
  const texture = await inpainted.read();
  for (const t of [partial, known, inpainted]) t.dispose();

  const base = completionStats(completed.source);
  const share = (n: number) => (base.layout ? n / base.layout : 0);
  return {
    size,
    texture,
    observed,
    confidence,
    skinConfidence,
    source: completed.source,
    positionMap,
    normalMap,
    stats: {
      ...base,
      filled,
      observedShare: share(base.observed),
      mirroredShare: share(base.mirrored),
      filledShare: share(filled),
    },
    skinTone: tone,
    filledMask: far,
  };
}
