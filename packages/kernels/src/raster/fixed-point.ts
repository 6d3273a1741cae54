import type { KernelContext } from '../core/context.ts';
import { Tensor, type Shape4 } from '../core/tensor.ts';
import atomicAdd from './atomic-add.wgsl?raw';
import fixedPointSource from './fixed-point.wgsl?raw';

/**
 * The backward passes' scatter-adds (atomic-add.wgsl) sum in 64-bit fixed point with 32 fraction
 * bits, so a gradient is the same bits whatever order the invocations run in. Resolution 2^-32
 * (≈ 2.3e-10) per addend, about the float32 ulp of a gradient of 1e-3; range ±2^31 (≈ 2.1e9) for a
 * sum. The photometric fit's image gradients are per-pixel means times term weights (≤ 1e4 over
 * ≥ 300 pixels: ≲ 30 a pixel); interpolate and texture scatter them with weights ≤ 1 (sums ≲ 1e4
 * per value), antialias through d(edge crossing)/d(screen) of O(1) per unit of edge length times
 * half the image over w (≲ 1e2): sums ≲ 1e6, three orders inside the range (a bound from these
 * factors, not a measurement). A single addend is clamped below 2^31; a sum past the range wraps
 * modulo 2^64 and that gradient is garbage.
 */
export const ATOMIC_INCLUDES = { 'atomic-add': atomicAdd };

/** A zeroed accumulator of two u32 words per value of a tensor of `shape`, for atomic-add.wgsl. */
export function fixedPointAccumulator(ctx: KernelContext, shape: Shape4, label: string): Tensor {
  const [n, h, w, c] = shape;
  const acc = Tensor.empty(ctx, [n, h, w, 8 * Math.ceil(c / 4)], `${label}.fixed`);
  ctx.commandEncoder.clearBuffer(acc.buffer, 0, acc.byteLength);
  return acc;
}

/** Converts an accumulator to a float tensor of `shape` and releases the accumulator. */
export function fixedPointToFloat(ctx: KernelContext, acc: Tensor, shape: Shape4, label: string): Tensor {
  const out = Tensor.empty(ctx, shape, label);
  ctx.dispatchFlat(
    ctx.program('fixed-point.resolve', fixedPointSource),
    { acc, dst: out, u: { count: out.vec4Count } },
    out.vec4Count,
  );
  acc.dispose();
  return out;
}
