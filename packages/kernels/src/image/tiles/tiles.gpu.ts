// Page half of tiles.test.ts: runs in headless Chromium with a real GPUDevice.
import { KernelContext } from '../../core/context.ts';
import { Tensor } from '../../core/tensor.ts';
import type { TileWindow } from '../tile-plan.ts';
import { accumulateTile, normalizeTiles } from './tiles.ts';

/** Blends tiles (given as dense arrays with their windows) into an H × W × C image. */
export async function runBlend(
  device: GPUDevice,
  c: { height: number; width: number; channels: number; windows: TileWindow[]; tiles: Float32Array[] },
) {
  const ctx = new KernelContext(device);
  const { height: h, width: w, channels } = c;
  const acc = Tensor.fromArray(ctx, new Float32Array(h * w * channels), [1, h, w, channels], 'acc');
  const weightSum = Tensor.fromArray(ctx, new Float32Array(h * w), [1, h, w, 1], 'weightSum');
  c.windows.forEach((win, i) => {
    const tile = Tensor.fromArray(ctx, c.tiles[i], [1, win.h, win.w, channels], 'tile');
    accumulateTile(ctx, acc, weightSum, tile, win);
    // The upload of the next tile must not overwrite this one before the dispatch ran: submit now.
    ctx.flush();
    tile.dispose();
  });
  const out = normalizeTiles(ctx, acc, weightSum);
  const blended = await out.read();
  const accData = await acc.read();
  const weights = await weightSum.read();
  for (const t of [acc, weightSum, out]) t.dispose();
  const { liveBuffers } = ctx.pool.stats();
  ctx.dispose();
  return { blended, acc: accData, weights, liveBuffers };
}
