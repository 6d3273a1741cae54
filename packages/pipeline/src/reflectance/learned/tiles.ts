// Pure planning for the pix2pixhd backend (no GPU): Node tests import it directly.
import { chooseTileSize, type MemoryEstimate } from '@avatarme/nets/tiled/windows.ts';
import type { ReflectanceMap } from './avatarme.ts';

/** Overlap (and context margin) of the reflectance windows when the caller gives none, in UV texels. */
export const REFLECTANCE_OVERLAP = 32;
/** Activation bytes one window may use when the tile size is chosen from the adapter. */
export const REFLECTANCE_BUDGET = 512 * 2 ** 20;

/** How one network was run over the map: the report's tile plan. */
export interface ReflectanceTilePlan {
  map: ReflectanceMap;
  /** Window side, overlap and context margin in UV texels; `windows` windows over `size`². */
  tile: number;
  overlap: number;
  context: number;
  windows: number;
  size: number;
  blend: 'gpu' | 'cpu';
  /** 'given' (options.tile) or 'adapter' (largest window within the adapter's limits and the budget). */
  tileFrom: 'given' | 'adapter';
}

/**
 * Window, overlap and context for a network on a size² map. Everything is a multiple of the
 * network's size multiple m (2^downsamplings): on a map that is itself a multiple of m, every window
 * then starts on the strided convolutions' grid, so a texel sees the same sampling phase as in an
 * untiled run. The window defaults to the largest that fits the adapter (≤ the manifest's
 * inferencePatchSize, AvatarMe's 1536); overlap = context margin = min(REFLECTANCE_OVERLAP, tile / 4)
 * by default.
 */
export function planReflectanceTiles(
  size: number,
  multiple: number,
  opts: {
    tile?: number;
    overlap?: number;
    inferencePatchSize: number;
    memory: MemoryEstimate;
    limits: { maxStorageBufferBindingSize: number; maxBufferSize: number };
  },
): { tile: number; overlap: number; context: number; tileFrom: 'given' | 'adapter' } {
  const m = multiple;
  const whole = Math.ceil(size / m) * m;
  const onGrid = (v: number) => Math.ceil(v / m) * m;
  let tile: number;
  if (opts.tile !== undefined) {
    tile = Math.max(m, Math.floor(opts.tile / m) * m);
  } else {
    const max = Math.max(m, Math.min(opts.inferencePatchSize, whole));
    tile = chooseTileSize(opts.memory, opts.limits, {
      context: Math.min(onGrid(REFLECTANCE_OVERLAP), max),
      budget: REFLECTANCE_BUDGET,
      max,
      min: Math.min(m, max),
    });
    tile = Math.max(m, Math.floor(tile / m) * m);
  }
  tile = Math.min(tile, whole);
  // By default a quarter of the window at most, so small windows do not multiply into many.
  const overlap = Math.min(onGrid(opts.overlap ?? Math.min(REFLECTANCE_OVERLAP, tile / 4)), tile - m);
  return { tile, overlap, context: overlap, tileFrom: opts.tile !== undefined ? 'given' : 'adapter' };
}

/** Dense HWC images (channels `counts[i]` each) joined along channels, in order. */
export function joinChannels(parts: Float32Array[], counts: number[], pixels: number): Float32Array {
  const total = counts.reduce((s, c) => s + c, 0);
  const out = new Float32Array(pixels * total);
  let offset = 0;
  parts.forEach((part, i) => {
    const c = counts[i];
    if (part.length !== pixels * c)
      throw new Error(`joinChannels: part ${i} has ${part.length} values, not ${pixels}×${c}`);
    for (let p = 0; p < pixels; p++)
      for (let k = 0; k < c; k++) out[p * total + offset + k] = part[p * c + k];
    offset += c;
  });
  return out;
}
