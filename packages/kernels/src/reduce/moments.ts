import type { KernelContext } from '../core/context.ts';
import { KernelError, fmtShape } from '../core/errors.ts';
import { Tensor } from '../core/tensor.ts';
import combineSource from './moments-combine.wgsl?raw';
import partialSource from './moments.wgsl?raw';

/** Invocations per workgroup of both passes and summaries per chunk (WELFORD_WORKGROUP_SIZE in core/wgsl/welford.wgsl). */
const WG = 64;
/** Bytes of one partial summary (mean, M2, count as three vec4s). */
const PARTIAL_BYTES = 48;

/**
 * Pixels per chunk of pass 1: 64 pixels per invocation keeps each Welford run short and the number of
 * partials small (1536×1536 → 576 chunks); very large images grow the chunk to stay under the 65,535
 * workgroups of one dispatch dimension.
 */
export function planMoments(
  hw: number,
  maxPerDim = 65535,
  preferredChunk = WG * 64,
): { perChunk: number; chunks: number } {
  const perChunk = Math.max(preferredChunk, Math.ceil(hw / maxPerDim));
  return { perChunk, chunks: Math.ceil(hw / perChunk) };
}

export interface MomentsOptions {
  label?: string;
  /** Pixels per chunk of pass 1, at least (tests use small chunks on small images). */
  perChunk?: number;
}

/**
 * Mean and biased variance of every (sample, channel) over H×W: [N,H,W,C] → two [N,1,1,C] tensors.
 * Two passes: 64 Welford summaries per chunk, then one invocation per channel group merges them
 * (moments.wgsl, moments-combine.wgsl).
 */
export function moments(
  ctx: KernelContext,
  x: Tensor,
  opts: MomentsOptions = {},
): { mean: Tensor; variance: Tensor } {
  const label = opts.label ?? 'moments';
  x.assertAlive(label);
  const [n, h, w, c] = x.shape;
  const hw = h * w;
  const groups = n * x.c4;
  const maxPerDim = ctx.limits.maxComputeWorkgroupsPerDimension;
  if (groups > maxPerDim) {
    throw new KernelError(
      label,
      `input ${fmtShape(x.shape)} has ${groups} (sample, channel group) pairs, above maxComputeWorkgroupsPerDimension ${maxPerDim}`,
    );
  }
  const { perChunk, chunks } = planMoments(hw, maxPerDim, opts.perChunk);
  const partialBytes = groups * chunks * WG * PARTIAL_BYTES;
  ctx.checkBindingSize(label, 'partial sums for', x.shape, partialBytes);
  const partials = ctx.pool.acquire(partialBytes, `${label}.partials`);
  ctx.dispatch(
    ctx.program('moments', partialSource),
    { x, partials, u: { hw, c4: x.c4, per_chunk: perChunk, chunks } },
    [chunks, groups, 1],
  );
  const mean = Tensor.empty(ctx, [n, 1, 1, c], `${label}.mean`);
  const variance = Tensor.empty(ctx, [n, 1, 1, c], `${label}.variance`);
  ctx.dispatch(
    ctx.program('moments-combine', combineSource),
    { partials, mean, variance, u: { chunks, groups } },
    [Math.ceil(groups / WG), 1, 1],
  );
  // Later users of this pooled buffer are recorded after these dispatches, so the queue orders them.
  ctx.pool.release(partials);
  return { mean, variance };
}

/** Mean over H×W of every sample and channel: [N,H,W,C] → [N,1,1,C]. */
export function globalMean(ctx: KernelContext, x: Tensor): Tensor {
  const { mean, variance } = moments(ctx, x, { label: 'globalMean' });
  variance.dispose();
  return mean;
}
