import type { ImageFormat } from './files.ts';

/**
 * Width and height from a PNG's IHDR or a JPEG's start-of-frame marker, so size limits are checked
 * before the browser starts. undefined when the header does not say (WebP, or a JPEG without a frame
 * header, which the browser will then reject).
 */
export function imageSize(b: Uint8Array, format: ImageFormat): { width: number; height: number } | undefined {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (format === 'png') {
    if (b.length < 24) return undefined;
    return { width: view.getUint32(16), height: view.getUint32(20) };
  }
  if (format !== 'jpeg') return undefined;
  let at = 2;
  while (at + 9 < b.length) {
    if (b[at] !== 0xff) return undefined;
    const marker = b[at + 1];
    // Fill bytes and standalone markers (RSTn, TEM) have no length field.
    if (marker === 0xff) {
      at++;
      continue;
    }
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      at += 2;
      continue;
    }
    const isFrame = marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker);
    if (isFrame) return { height: view.getUint16(at + 5), width: view.getUint16(at + 7) };
    at += 2 + view.getUint16(at + 2);
  }
  return undefined;
}
