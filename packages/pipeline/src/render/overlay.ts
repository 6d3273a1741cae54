import { Tensor, type KernelContext } from '@avatarme/kernels';
import type { FaceFit } from '../fit/face-fit.ts';
import { fitShLighting, type ShFit } from '../fit/lighting.ts';
import type { RgbaImage } from '../image/codec.ts';
import type { UnwrapResult } from '../unwrap/unwrap.ts';
import { composite, psnr } from './quality.ts';
import { renderFace, type FaceRender } from './render.ts';

/** A photo on the GPU: [1, H, W, 3] RGB in [0, 1] (the face stage's FaceImage has this shape). */
export interface PhotoTensor {
  tensor: Tensor;
  width: number;
  height: number;
}

export interface OverlayResult {
  /** The photo with the SH-shaded fitted face over it (60% opacity), for judging the fit by eye. */
  overlay: RgbaImage;
  /** The photo with the textured re-render composited over the face, on the GPU (caller disposes the tensor). */
  rerender: PhotoTensor;
  /** PSNR (dB) of the textured re-render against the photo over the visible face region. */
  psnr: number;
  /** Pixels in that region. */
  visiblePixels: number;
  lighting: ShFit;
  render: FaceRender;
}

/** Pixels of the face that face the camera by at least this cosine count as its visible region. */
export const VISIBLE_FACING = 0.15;

function toRgba8(rgb: Float32Array, width: number, height: number): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    for (let k = 0; k < 3; k++) data[4 * i + k] = Math.round(Math.min(1, Math.max(0, rgb[3 * i + k])) * 255);
    data[4 * i + 3] = 255;
  }
  return { width, height, data };
}

/**
 * Re-renders the fitted face with its UV texture into the photo's camera and measures it against the
 * photo; the overlay shows the SH-lit fitted shape (lighting fitted on the visible skin texels) over the photo.
 */
export async function renderOverlay(
  ctx: KernelContext,
  photo: PhotoTensor,
  fit: FaceFit,
  uv: UnwrapResult,
): Promise<OverlayResult> {
  const lighting = fitShLighting(uv.observed, uv.normalMap, uv.skinConfidence);
  const tex = Tensor.fromArray(ctx, uv.texture, [1, uv.size, uv.size, 3], 'overlay.uvTexture');
  const render = await renderFace(ctx, fit, tex, { sh: lighting.coefficients });
  tex.dispose();
  const photoRgb = await photo.tensor.read();
  const visible = render.facing.map((f) => (f >= VISIBLE_FACING ? 1 : 0));
  const visiblePixels = visible.reduce((a, b) => a + b, 0);
  const rerenderRgb = composite(photoRgb, render.textured, render.coverage);
  const overlayRgb = composite(photoRgb, render.shading!, render.coverage, 0.6);
  const rerender = Tensor.fromArray(ctx, rerenderRgb, [1, photo.height, photo.width, 3], 'overlay.rerender');
  return {
    overlay: toRgba8(overlayRgb, photo.width, photo.height),
    rerender: { tensor: rerender, width: photo.width, height: photo.height },
    psnr: psnr(render.textured, photoRgb, visible),
    visiblePixels,
    lighting,
    render,
  };
}
