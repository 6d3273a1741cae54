import { Tensor, type KernelContext } from '@avatarme/kernels';
import { fitShLighting, type ShFit } from '../fit/lighting.ts';
import { rgbFloatToRgba, type RgbaImage } from '../image/codec.ts';
import type { PosedSurface } from '../surface/surface.ts';
import type { UnwrapResult } from '../unwrap/unwrap.ts';
import { composite, psnr } from './quality.ts';
import { renderSurface, type SurfaceRender } from './render.ts';

/** A photo on the GPU: [1, H, W, 3] RGB in [0, 1] (the face stage's FaceImage has this shape). */
export interface PhotoTensor {
  tensor: Tensor;
  width: number;
  height: number;
}

export interface OverlayResult {
  /** The photo with the SH-shaded fitted surface over it (60% opacity), for judging the fit by eye. */
  overlay: RgbaImage;
  /** The photo with the textured re-render composited over the surface, on the GPU (caller disposes the tensor). */
  rerender: PhotoTensor;
  /** PSNR (dB) of the textured re-render against the photo where the surface faces the camera and its texture was observed. */
  psnr: number;
  /** Pixels in that region. */
  visiblePixels: number;
  lighting: ShFit;
  render: SurfaceRender;
}

/** Pixels that face the camera by at least this cosine count as visible. */
export const VISIBLE_FACING = 0.15;

/**
 * Re-renders the fitted surface with its UV texture into the photo's camera and measures it against
 * the photo over the pixels it faces with an observed texture (the completion of unseen parts is a
 * guess, not a reconstruction to score); the overlay shows the SH-lit fitted shape (lighting fitted on
 * the visible skin texels) over the photo.
 */
export async function renderOverlay(
  ctx: KernelContext,
  photo: PhotoTensor,
  surface: PosedSurface,
  uv: UnwrapResult,
): Promise<OverlayResult> {
  const lighting = fitShLighting(uv.observed, uv.normalMap, uv.skinConfidence);
  const render = await renderSurface(ctx, surface, uv, { sh: lighting.coefficients });
  const photoRgb = await photo.tensor.read();
  const visible = render.facing.map((f, p) => (f >= VISIBLE_FACING && render.observed[p] > 0.99 ? 1 : 0));
  const rerenderRgb = composite(photoRgb, render.textured, render.coverage);
  const overlayRgb = composite(photoRgb, render.shading!, render.coverage, 0.6);
  const rerender = Tensor.fromArray(ctx, rerenderRgb, [1, photo.height, photo.width, 3], 'overlay.rerender');
  return {
    overlay: rgbFloatToRgba(overlayRgb, photo.width, photo.height, 255),
    rerender: { tensor: rerender, width: photo.width, height: photo.height },
    psnr: psnr(render.textured, photoRgb, visible),
    visiblePixels: visible.reduce((a, b) => a + b, 0),
    lighting,
    render,
  };
}
