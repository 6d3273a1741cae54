// No imports: the CLI's Node side reaches this through esrgan/registry.ts and must not load the GPU half.

/** Pixels in [0, 255] → values on [lo, hi] (the array itself when that is [0, 255]). */
export function pixelsToRange(pixels: Float32Array, [lo, hi]: readonly [number, number]): Float32Array {
  const k = (hi - lo) / 255;
  return k === 1 && lo === 0 ? pixels : pixels.map((v) => lo + v * k);
}
