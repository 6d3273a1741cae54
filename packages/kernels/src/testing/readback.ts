// Page-side helpers for the parity tests: read a tensor back with its vec4 padding, so tests can prove
// that kernels write zeros to the pad lanes.
import { KernelContext } from '../core/context.ts';
import { Tensor, unpadChannels, type Shape4 } from '../core/tensor.ts';

export interface Readback {
  data: Float32Array;
  shape: number[];
  /** Pad lanes (channels C..4·ceil(C/4)-1 of every pixel) that are not exactly zero. */
  nonZeroPadLanes: number;
}

export async function readWithPadding(t: Tensor): Promise<Readback> {
  const raw = new Float32Array(await t.ctx.readBuffer(t.buffer, t.byteLength));
  const pixels = t.n * t.h * t.w;
  const stride = t.c4 * 4;
  let nonZeroPadLanes = 0;
  for (let p = 0; p < pixels; p++)
    for (let k = t.c; k < stride; k++) if (!Object.is(raw[p * stride + k], 0)) nonZeroPadLanes++;
  return { data: unpadChannels(raw, pixels, t.c), shape: [...t.shape], nonZeroPadLanes };
}

/**
 * Leaves `count` pooled buffers for `shape` full of NaN (pad lanes included) in the context's pool, so
 * the next Tensor.empty calls of that size reuse them: proves a kernel writes every lane of its output
 * instead of relying on fresh zeroed buffers. Returns the buffers so a test can check one was reused.
 */
export function poisonPool(ctx: KernelContext, shape: Shape4, count = 1): GPUBuffer[] {
  // Too big for this (restricted) device: the op under test will refuse it, leave that error to it.
  if (Tensor.byteLengthOf(shape) > ctx.limits.maxStorageBufferBindingSize) return [];
  const ts = Array.from({ length: count }, () => Tensor.empty(ctx, shape, 'poison'));
  for (const t of ts) {
    ctx.device.queue.writeBuffer(t.buffer, 0, new Float32Array(t.buffer.size / 4).fill(NaN));
    t.dispose();
  }
  return ts.map((t) => t.buffer);
}

export type LimitOverrides = Partial<
  Record<'maxStorageBufferBindingSize' | 'maxComputeWorkgroupsPerDimension', number>
>;

/**
 * Makes the context see a smaller device: with maxComputeWorkgroupsPerDimension of a few workgroups,
 * tiny test tensors already need the 2-D dispatch grids that big images need on a real device; with a
 * small maxStorageBufferBindingSize the binding-size checks fire. (GPUSupportedLimits' attributes are
 * prototype getters, so they are copied into a plain object first.)
 */
export function restrictLimits(ctx: KernelContext, overrides: LimitOverrides | undefined): void {
  if (!overrides) return;
  const plain: Record<string, number> = {};
  for (const k in ctx.limits) plain[k] = (ctx.limits as unknown as Record<string, number>)[k];
  Object.assign(plain, overrides);
  (ctx as unknown as { limits: GPUSupportedLimits }).limits = plain as unknown as GPUSupportedLimits;
}

/**
 * The page half of a one-input kernel's parity test: x uploaded on a context with `limits`, `poison`
 * pooled buffers of the output's size left full of NaN (outShape is evaluated after the upload; none
 * when it says undefined), `op` run, and its output read back with its pad lanes, whether it reused a
 * poisoned buffer and how many buffers stay live once x and the output are released.
 */
export async function runPoisoned(
  device: GPUDevice,
  c: { x: Float32Array; shape: Shape4; limits?: LimitOverrides },
  outShape: () => Shape4 | undefined,
  op: (ctx: KernelContext, x: Tensor) => Tensor,
  poison = 1,
) {
  const ctx = new KernelContext(device);
  restrictLimits(ctx, c.limits);
  try {
    const x = Tensor.fromArray(ctx, c.x, c.shape, 'x');
    const shape = outShape();
    const poisoned = shape ? poisonPool(ctx, shape, poison) : [];
    const y = op(ctx, x);
    const reusedPoisoned = poisoned.includes(y.buffer);
    const out = await readWithPadding(y);
    for (const t of [x, y]) t.dispose();
    return { ...out, reusedPoisoned, liveBuffers: ctx.pool.stats().liveBuffers };
  } finally {
    ctx.dispose();
  }
}
