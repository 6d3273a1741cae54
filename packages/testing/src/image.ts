/**
 * Decodes a PNG/JPEG in the page into RGBA bytes with the browser's decoder, as the product does, but
 * without depending on the product: lower layers' tests can read a photo too.
 */
export async function decodeTestImage(
  bytes: Uint8Array,
): Promise<{ width: number; height: number; data: Uint8ClampedArray }> {
  const bitmap = await createImageBitmap(new Blob([bytes as BlobPart]), {
    colorSpaceConversion: 'none',
    premultiplyAlpha: 'none',
  });
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const g = canvas.getContext('2d', { willReadFrequently: true })!;
  g.drawImage(bitmap, 0, 0);
  bitmap.close();
  const { width, height, data } = g.getImageData(0, 0, canvas.width, canvas.height);
  return { width, height, data };
}
