import { featherWeight } from '../tile-plan.ts';
import type { AccumulateTileOptions } from './tiles.ts';

/** CPU reference for accumulateTile on dense arrays (acc [H, W, C], weightSum [H, W]), in place, f64 weights. */
export function accumulateTileReference(
  acc: Float32Array,
  weightSum: Float32Array,
  width: number,
  channels: number,
  tile: Float32Array,
  th: number,
  tw: number,
  o: AccumulateTileOptions,
): void {
  for (let ty = 0; ty < th; ty++)
    for (let tx = 0; tx < tw; tx++) {
      const wt = featherWeight(ty, tx, th, tw, o.feather);
      const p = (o.y0 + ty) * width + o.x0 + tx;
      weightSum[p] += wt;
      for (let k = 0; k < channels; k++) acc[p * channels + k] += wt * tile[(ty * tw + tx) * channels + k];
    }
}

/** CPU reference for normalizeTiles. */
export function normalizeTilesReference(
  acc: Float32Array,
  weightSum: Float32Array,
  channels: number,
  eps = 1e-12,
): Float32Array {
  return acc.map((v, i) => v / Math.max(weightSum[Math.floor(i / channels)], eps));
}
