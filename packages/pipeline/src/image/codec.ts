/** Decoded 8-bit image: RGBA, row-major, no premultiplied alpha. */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8ClampedArray;
  /** Size of the encoded image when it was downscaled at decode time. */
  sourceWidth?: number;
  sourceHeight?: number;
}

/**
 * Decodes PNG/JPEG/WebP bytes with the browser's own decoders (well-kept, fast, and what the demo
 * uses too). No colour-space conversion or premultiplication, so pixel values are the file's.
 */
export async function decodeImage(
  bytes: Uint8Array,
  name = 'image',
  opts: { maxSide?: number } = {},
): Promise<RgbaImage> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(new Blob([bytes as BlobPart]), {
      colorSpaceConversion: 'none',
      premultiplyAlpha: 'none',
    });
  } catch {
    throw new Error(`${name}: not a decodable image (PNG, JPEG or WebP expected)`);
  }
  const [sourceWidth, sourceHeight] = [bitmap.width, bitmap.height];
  const longest = Math.max(bitmap.width, bitmap.height);
  if (opts.maxSide && longest > opts.maxSide) {
    // Downscale with the browser's high-quality resampler (area-averaging), not point sampling.
    const k = opts.maxSide / longest;
    const scaled = await createImageBitmap(bitmap, {
      resizeWidth: Math.max(1, Math.round(bitmap.width * k)),
      resizeHeight: Math.max(1, Math.round(bitmap.height * k)),
      resizeQuality: 'high',
    });
    bitmap.close();
    bitmap = scaled;
  }
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const g = canvas.getContext('2d', { willReadFrequently: true })!;
  g.drawImage(bitmap, 0, 0);
  bitmap.close();
  const img = g.getImageData(0, 0, canvas.width, canvas.height);
  return { width: img.width, height: img.height, data: img.data, sourceWidth, sourceHeight };
}

export async function encodePng(image: RgbaImage): Promise<Uint8Array> {
  const canvas = new OffscreenCanvas(image.width, image.height);
  const g = canvas.getContext('2d')!;
  g.putImageData(
    new ImageData(image.data as Uint8ClampedArray<ArrayBuffer>, image.width, image.height),
    0,
    0,
  );
  const blob = await canvas.convertToBlob({ type: 'image/png' });
  return new Uint8Array(await blob.arrayBuffer());
}

/** RGB float [0, 1] (dense HWC, 3 channels) from RGBA8; alpha is dropped. */
export function rgbaToRgbFloat(image: RgbaImage, scale = 1 / 255): Float32Array {
  const n = image.width * image.height;
  const out = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) {
    out[i * 3] = image.data[i * 4] * scale;
    out[i * 3 + 1] = image.data[i * 4 + 1] * scale;
    out[i * 3 + 2] = image.data[i * 4 + 2] * scale;
  }
  return out;
}

/** RGBA8 from RGB float (dense HWC), clamped and rounded; `scale` maps the float range to [0, 255]. */
export function rgbFloatToRgba(rgb: Float32Array, width: number, height: number, scale = 255): RgbaImage {
  const n = width * height;
  const data = new Uint8ClampedArray(n * 4);
  for (let i = 0; i < n; i++) {
    data[i * 4] = Math.round(rgb[i * 3] * scale);
    data[i * 4 + 1] = Math.round(rgb[i * 3 + 1] * scale);
    data[i * 4 + 2] = Math.round(rgb[i * 3 + 2] * scale);
    data[i * 4 + 3] = 255;
  }
  return { width, height, data };
}
