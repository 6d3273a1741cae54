import { planTiles, type TileWindow } from '@avatarme/kernels/image/tile-plan.ts';

/**
 * A blending window (from planTiles) and the larger region the network reads for it: `context`
 * extra pixels on every side that has image there. The network's output over the context is thrown
 * away (it saw zero padding at the region's edge); what is kept is the window, blended with its
 * neighbours over their `overlap`.
 */
export interface ContextWindow extends TileWindow {
  /** The region read, in input pixels. */
  read: { y0: number; x0: number; h: number; w: number };
  /** Where the window starts inside the region read. */
  offsetY: number;
  offsetX: number;
}

export function planContextWindows(
  height: number,
  width: number,
  tile: number,
  overlap: number,
  context: number,
): ContextWindow[] {
  if (!Number.isInteger(context) || context < 0)
    throw new Error(`tiled: context ${context} must be a non-negative integer`);
  return planTiles(height, width, tile, Math.min(overlap, tile - 1)).map((win) => {
    const y0 = Math.max(0, win.y0 - context);
    const x0 = Math.max(0, win.x0 - context);
    const y1 = Math.min(height, win.y0 + win.h + context);
    const x1 = Math.min(width, win.x0 + win.w + context);
    return { ...win, read: { y0, x0, h: y1 - y0, w: x1 - x0 }, offsetY: win.y0 - y0, offsetX: win.x0 - x0 };
  });
}

/** What one network call on an h × w input needs: its activations' peak and its largest tensor. */
export type MemoryEstimate = (h: number, w: number) => { peakBytes: number; largestBytes: number };

/**
 * The largest square tile (window + 2·context read per call) whose activations fit: the largest
 * tensor within one storage binding and the peak within `budget` bytes. Candidates run from `max`
 * down in steps of 16 pixels, so a small device gets small tiles rather than a failure.
 */
export function chooseTileSize(
  estimate: MemoryEstimate,
  limits: { maxStorageBufferBindingSize: number; maxBufferSize: number },
  opts: { context: number; budget: number; max?: number; min?: number },
): number {
  const binding = Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
  const max = opts.max ?? 256;
  const min = opts.min ?? 16;
  for (let t = max; t >= min; t -= 16) {
    const side = t + 2 * opts.context;
    const m = estimate(side, side);
    if (m.largestBytes <= binding && m.peakBytes <= opts.budget) return t;
  }
  throw new Error(
    `tiled: even a ${min}×${min} tile needs more than this device allows (binding ${binding} B, budget ${opts.budget} B)`,
  );
}
