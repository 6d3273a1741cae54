import { CliError } from './errors.ts';

/**
 * The maps are uploaded as 2-D textures for the render, on a device that keeps WebGPU's default
 * maxTextureDimension2D (8192, which every adapter supports): larger maps fail on any machine.
 */
export const MAX_MAP_SIDE = 8192;
/** Chromium's canvas limits, which bound every PNG the page encodes: 32767 a side, 268 megapixels. */
export const MAX_PNG_SIDE = 32767;
export const MAX_PNG_PIXELS = 32768 * 8192;
/** The largest buffer of a run at map size S: float32 RGB, S × S × 3 × 4 bytes. */
export const mapBufferBytes = (side: number) => side * side * 12;

const mib = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MiB`;

/** Before the browser starts: maps of (uv size × upscale)² must fit the adapter-independent limit. */
export function checkMapSize(uvSize: number, upscale: number): void {
  const side = uvSize * upscale;
  if (side > MAX_MAP_SIDE)
    throw new CliError(
      `--uv-size ${uvSize} with --upscale ${upscale} makes ${side}×${side} maps, above the ${MAX_MAP_SIDE}×${MAX_MAP_SIDE} limit of the render's textures; lower --uv-size or --upscale`,
    );
}

/**
 * As soon as the adapter is known (before any model loads): the maps' largest buffer must fit one
 * storage binding and one buffer on this adapter.
 */
export function checkMapBuffers(
  uvSize: number,
  upscale: number,
  limits: { maxStorageBufferBindingSize: number; maxBufferSize: number },
): void {
  const side = uvSize * upscale;
  const bytes = mapBufferBytes(side);
  const limit = Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
  if (bytes > limit)
    throw new CliError(
      `--uv-size ${uvSize} with --upscale ${upscale} makes ${side}×${side} maps, which need ${mib(bytes)} buffers, above this adapter's ${mib(limit)}; lower --uv-size or --upscale`,
    );
}

/** Before the browser starts: the upscaled image must be encodable as a PNG. */
export function checkUpscaledSize(name: string, width: number, height: number, scale: number): void {
  const [w, h] = [width * scale, height * scale];
  if (Math.max(w, h) > MAX_PNG_SIDE || w * h > MAX_PNG_PIXELS)
    throw new CliError(
      `${name}: ${width}×${height} ×${scale} makes ${w}×${h}, above the PNG limit (${MAX_PNG_SIDE} a side, ${Math.round(MAX_PNG_PIXELS / 1e6)} megapixels); lower --scale or crop the image`,
    );
}
