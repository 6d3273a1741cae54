import type { KernelContext } from '../../core/context.ts';
import { KernelError, fmtShape } from '../../core/errors.ts';
import { Tensor } from '../../core/tensor.ts';
import type { Feather } from '../tile-plan.ts';
import accumulateSource from './accumulate.wgsl?raw';
import normalizeSource from './normalize.wgsl?raw';

export interface AccumulateTileOptions {
  y0: number;
  x0: number;
  /** Ramp widths in pixels (0 at image borders), as planTiles gives them. */
  feather: Feather;
}

/**
 * Adds tile·w into acc and w into weightSum at (y0, x0), where w is the product of raised-cosine
 * ramps (featherWeight in tile-plan.ts). acc: [1, H, W, C], weightSum: [1, H, W, 1] (start both at
 * zero), tile: [1, th, tw, C]. Updates acc and weightSum in place.
 */
export function accumulateTile(
  ctx: KernelContext,
  acc: Tensor,
  weightSum: Tensor,
  tile: Tensor,
  o: AccumulateTileOptions,
): void {
  const op = 'accumulateTile';
  for (const t of [acc, weightSum, tile]) t.assertAlive(op);
  const [n, h, w, c] = acc.shape;
  const [tn, th, tw, tc] = tile.shape;
  if (n !== 1 || tn !== 1 || tc !== c) {
    throw new KernelError(
      op,
      `tile ${fmtShape(tile.shape)} and acc ${fmtShape(acc.shape)} must both be [1, ·, ·, C] with the same C`,
    );
  }
  if (weightSum.n !== 1 || weightSum.h !== h || weightSum.w !== w || weightSum.c !== 1) {
    throw new KernelError(op, `weightSum ${fmtShape(weightSum.shape)} must be [1, ${h}, ${w}, 1]`);
  }
  const { top, bottom, left, right } = o.feather;
  if (![o.y0, o.x0, top, bottom, left, right].every((v) => Number.isInteger(v) && v >= 0)) {
    throw new KernelError(
      op,
      `offsets (${o.y0}, ${o.x0}) and feathers [${top}, ${bottom}, ${left}, ${right}] must be non-negative integers`,
    );
  }
  if (o.y0 + th > h || o.x0 + tw > w) {
    throw new KernelError(
      op,
      `tile ${fmtShape(tile.shape)} at (${o.y0}, ${o.x0}) does not fit in acc ${fmtShape(acc.shape)}`,
    );
  }
  const count = tile.vec4Count;
  ctx.dispatchFlat(
    ctx.program(op, accumulateSource),
    {
      tile,
      acc,
      weight_sum: weightSum,
      u: {
        h,
        w,
        c4: acc.c4,
        th,
        tw,
        y0: o.y0,
        x0: o.x0,
        count,
        top,
        bottom,
        left,
        right,
      },
    },
    count,
  );
}

/** acc / max(weightSum, eps) (eps default 1e-12): the blended image; returns a new tensor. */
export function normalizeTiles(
  ctx: KernelContext,
  acc: Tensor,
  weightSum: Tensor,
  o: { eps?: number } = {},
): Tensor {
  const op = 'normalizeTiles';
  acc.assertAlive(op);
  weightSum.assertAlive(op);
  const [n, h, w] = acc.shape;
  if (weightSum.n !== n || weightSum.h !== h || weightSum.w !== w || weightSum.c !== 1) {
    throw new KernelError(
      op,
      `weightSum ${fmtShape(weightSum.shape)} must be [${n}, ${h}, ${w}, 1] for acc ${fmtShape(acc.shape)}`,
    );
  }
  const out = Tensor.empty(ctx, acc.shape, op);
  const count = out.vec4Count;
  ctx.dispatchFlat(
    ctx.program(op, normalizeSource),
    {
      acc,
      weight_sum: weightSum,
      dst: out,
      u: { c4: acc.c4, count, eps: o.eps ?? 1e-12 },
    },
    count,
  );
  return out;
}
