import { KernelError } from '../core/errors.ts';

/**
 * Sliding-window tiling for patch-wise inference (ESRGAN up-sampling, reflectance networks): windows of
 * at most `tile` pixels overlapping by at least `overlap`, the last window of each row/column shifted
 * inward so every window has the full size when the image is larger than the tile (as UpscalerJS
 * does), and feather (blend ramp) widths equal to the actual overlap with each neighbour, 0 at image
 * borders. With raised-cosine ramps (featherWeight) two windows' weights sum to exactly 1 across
 * their overlap.
 */
export interface Feather {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

export interface TileWindow {
  y0: number;
  x0: number;
  h: number;
  w: number;
  feather: Feather;
}

interface Span {
  start: number;
  len: number;
  before: number;
  after: number;
}

/** Windows along one axis of `size` pixels. */
export function planAxis(size: number, tile: number, overlap: number): Span[] {
  if (size <= tile) return [{ start: 0, len: size, before: 0, after: 0 }];
  const stride = tile - overlap;
  const count = Math.ceil((size - overlap) / stride);
  const starts = Array.from({ length: count }, (_, i) => (i === count - 1 ? size - tile : i * stride));
  return starts.map((start, i) => ({
    start,
    len: tile,
    before: i === 0 ? 0 : starts[i - 1] + tile - start,
    after: i === count - 1 ? 0 : start + tile - starts[i + 1],
  }));
}

export function planTiles(height: number, width: number, tile: number, overlap: number): TileWindow[] {
  for (const [name, v] of [
    ['height', height],
    ['width', width],
    ['tile', tile],
  ] as const) {
    if (!Number.isInteger(v) || v < 1)
      throw new KernelError('planTiles', `${name} ${v} must be a positive integer`);
  }
  if (!Number.isInteger(overlap) || overlap < 0 || overlap >= tile) {
    throw new KernelError('planTiles', `overlap ${overlap} must be an integer in [0, tile ${tile})`);
  }
  const rows = planAxis(height, tile, overlap);
  const cols = planAxis(width, tile, overlap);
  return rows.flatMap((r) =>
    cols.map((c) => ({
      y0: r.start,
      x0: c.start,
      h: r.len,
      w: c.len,
      feather: { top: r.before, bottom: r.after, left: c.before, right: c.after },
    })),
  );
}

/**
 * Raised-cosine ramp: weight of the pixel `k` pixels in from a window edge whose ramp is `width`
 * pixels wide (1 beyond the ramp, and everywhere when width is 0). Always > 0; a ramp of width o and
 * the mirrored ramp of the neighbouring window sum to 1 pixel by pixel.
 */
export function featherRamp(k: number, width: number): number {
  return k < width ? 0.5 - 0.5 * Math.cos((Math.PI * (k + 0.5)) / width) : 1;
}

/** Blend weight of pixel (ty, tx) of an h × w window: the product of its four ramps. */
export function featherWeight(ty: number, tx: number, h: number, w: number, f: Feather): number {
  return (
    featherRamp(ty, f.top) *
    featherRamp(h - 1 - ty, f.bottom) *
    featherRamp(tx, f.left) *
    featherRamp(w - 1 - tx, f.right)
  );
}
