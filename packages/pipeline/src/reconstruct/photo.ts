import { decodeImage, type RgbaImage } from '../image/codec.ts';

/**
 * Input limits. Above MAX_PIXELS (64 MP, e.g. 8000×8000) the photo is refused: decoding alone needs
 * 4 bytes a pixel of CPU memory (256 MB) before it can be scaled down. Every photo is scaled down at
 * decode time (area-averaging) to at most WORKING_SIDE on its longer side for detection, fitting and
 * unwrapping: BlazeFace sees 256² and FaceMesh 192² crops anyway, and a 2048-pixel working copy keeps
 * a face that fills a tenth of the frame at ≥ 200 pixels for the UV texture. Below MIN_SIDE on the
 * shorter side there is no face to find (BlazeFace's smallest anchor is 1/16 of its 256² input).
 */
export const MAX_PIXELS = 64_000_000;
export const WORKING_SIDE = 2048;
export const MIN_SIDE = 32;

/** Throws one line naming the input and the limit when a photo of this size is refused. */
export function checkPhotoSize(width: number, height: number, name: string): void {
  if (width * height > MAX_PIXELS)
    throw new Error(`${name}: ${width}×${height} is above the ${MAX_PIXELS / 1e6}-megapixel limit`);
  if (Math.min(width, height) < MIN_SIDE)
    throw new Error(`${name}: ${width}×${height} is too small (at least ${MIN_SIDE}×${MIN_SIDE})`);
}

/**
 * The photo as RGBA8 at most WORKING_SIDE on its longer side, with its encoded size. Grey, grey+alpha,
 * palette, RGB and RGBA files all decode to RGBA (grey in all three colour channels), with no colour-space
 * conversion. Alpha is ignored downstream; an opaque pixel keeps the file's colour exactly, but the
 * browser's canvas stores colour premultiplied, so a pixel of alpha a comes back within 255 / (2a) levels
 * and a fully transparent one as black (a photo's transparent background, if any, is no face).
 */
export async function loadPhoto(
  photo: Uint8Array | RgbaImage,
  name: string,
): Promise<RgbaImage & { sourceWidth: number; sourceHeight: number }> {
  const image =
    photo instanceof Uint8Array ? await decodeImage(photo, name, { maxSide: WORKING_SIDE }) : photo;
  const sourceWidth = image.sourceWidth ?? image.width;
  const sourceHeight = image.sourceHeight ?? image.height;
  checkPhotoSize(sourceWidth, sourceHeight, name);
  return { ...image, sourceWidth, sourceHeight };
}
