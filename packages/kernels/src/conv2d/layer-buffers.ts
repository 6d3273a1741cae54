import type { KernelContext } from '../core/context.ts';
import type { Activation } from './reference.ts';

/** The epilogue's ACT constant (epilogue.wgsl). relu6 is clamp to [0, 6]. */
export const ACT_CODE: Record<Activation, number> = {
  linear: 0,
  relu: 1,
  leakyRelu: 2,
  prelu: 3,
  clamp: 4,
  relu6: 4,
  tanh: 5,
  sigmoid: 6,
};

/** Per-output-channel values (bias, PReLU slopes) padded to whole vec4 groups, zeros if absent. */
export function padVec4(values: Float32Array | undefined, count: number, wC4: number): Float32Array {
  const out = new Float32Array(wC4 * 4);
  if (values) out.set(values.subarray(0, count));
  return out;
}

/** A storage buffer holding a layer's constant data; the layer destroys it in dispose(). */
export function uploadConstant(ctx: KernelContext, data: Float32Array, label: string): GPUBuffer {
  const buf = ctx.device.createBuffer({
    label,
    size: Math.max(16, data.byteLength),
    usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST,
  });
  ctx.device.queue.writeBuffer(buf, 0, data as Float32Array<ArrayBuffer>);
  return buf;
}
