// Which texels inside the mouth (teeth, gums, tongue) the photo shows. The fitted lips are a guess at
// the photo's: where the photo's opening (mouth-opening.ts) shows the inside of the mouth and the
// fitted lips cover it, the lips are not there, and what lies behind them is what the opening shows.
// So the inside of the mouth is seen where it is the nearest of the mouth's inner surfaces (a z-buffer
// without the lips and the rest of the head) and its photo sample reads the opening's pixels only.
import type { KernelContext, Tensor } from '@avatarme/kernels';
import { srgbPixelToLab } from '../math/colour.ts';
import { sampleLayout, type LayoutMesh } from './sample-layout.ts';
import { texelsReadingOnly } from './mouth-opening.ts';

/** L* this far below the photo's lips': the mouth's dark inside or corner shadow (mouth-figures.ts counts it too). */
export const DARK_L_DROP = 20;

const lightness = (rgb: ArrayLike<number>, i: number) => srgbPixelToLab(rgb, i)[0];

/** Median L* of the photo's pixels labelled `label` (sRGB [H·W·3]); NaN when none. */
export function medianLightness(photo: ArrayLike<number>, pixels: Uint8Array, label: number): number {
  const values: number[] = [];
  pixels.forEach((l, i) => l === label && values.push(lightness(photo, i)));
  values.sort((a, b) => a - b);
  return values.length ? values[values.length >> 1] : NaN;
}

/** The triangles of `mesh` whose region is inside the mouth [F'·3]. */
export function interiorTriangles(
  triangles: Uint32Array,
  regionOfTriangle: ArrayLike<number>,
  insideMouth: (region: number) => boolean,
): Uint32Array {
  const out: number[] = [];
  for (let t = 0; t < triangles.length / 3; t++)
    if (insideMouth(regionOfTriangle[t]))
      out.push(triangles[3 * t], triangles[3 * t + 1], triangles[3 * t + 2]);
  return Uint32Array.from(out);
}

/**
 * The visibility of the mouth's inner texels (regions `insideMouth`): `inside` 1 on them [S·S], and
 * their confidence [S·S]: seen, with its facing cosine, where the texel is the nearest of the inner
 * surfaces at its pixel (z-buffer of those surfaces alone, texels.ts) and its photo sample reads the
 * photo's opening only (`pixels`/`label`: mouthPixels) and is not the opening's dark inside (L* more
 * than DARK_L_DROP below the lips', `lipsL`). A texel the whole head's z-buffer calls seen but whose
 * sample reads the photo's lips is unseen: the photo shows lips there, not teeth.
 */
export async function interiorVisibility(
  ctx: KernelContext,
  photo: Tensor,
  mesh: LayoutMesh,
  regionOfTriangle: ArrayLike<number>,
  insideMouth: (region: number) => boolean,
  opening: { pixels: Uint8Array; label: number; lipsL: number },
  opts: { size: number; width: number; height: number; minFacing: number; depthTolerancePx?: number },
): Promise<{ inside: Uint8Array; confidence: Float32Array }> {
  const triangles = interiorTriangles(mesh.triangles, regionOfTriangle, insideMouth);
  const s = await sampleLayout(ctx, photo, { ...mesh, triangles }, opts);
  const { size, width, height } = opts;
  const inside = Uint8Array.from({ length: size * size }, (_, i) => (s.uvRaster[4 * i + 3] > 0 ? 1 : 0));
  const reads = texelsReadingOnly(
    size,
    s.attributes,
    s.channels,
    (i) => s.confidence[i] > 0,
    opening.pixels,
    opening.label,
    width,
    height,
  );
  // The mouth's dark inside is shadow (the cavity, the corners, the gaps between teeth), which the
  // renders make with their ambient occlusion: read into the teeth's albedo it doubles.
  const shadow = (i: number) => lightness(s.observed, i) < opening.lipsL - DARK_L_DROP;
  return { inside, confidence: s.confidence.map((c, i) => (reads[i] && !shadow(i) ? c : 0)) };
}
