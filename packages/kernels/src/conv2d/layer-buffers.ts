import type { KernelContext } from '../core/context.ts';
import { KernelError, fmtShape } from '../core/errors.ts';
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

/**
 * The checks every convolution layer makes on its constants: a 4-D weight shape (named by `layout`,
 * e.g. "[kh, kw, cin, cout]") that the data fills, and bias / PReLU slopes with one value per
 * output channel.
 */
export function checkLayerConstants(
  op: string,
  weights: Float32Array,
  shape: readonly number[],
  layout: string,
  coutAxis: number,
  o: { bias?: Float32Array; activation?: Activation; prelu?: Float32Array },
): void {
  if (shape.length !== 4 || shape.some((d) => !Number.isInteger(d) || d <= 0)) {
    throw new KernelError(op, `weight shape ${fmtShape(shape)} must be ${layout}`);
  }
  if (weights.length !== shape.reduce((a, b) => a * b, 1)) {
    throw new KernelError(op, `${weights.length} weights do not fill shape ${fmtShape(shape)}`);
  }
  const cout = shape[coutAxis];
  if (o.bias && o.bias.length !== cout) {
    throw new KernelError(op, `bias has ${o.bias.length} values for ${cout} output channels`);
  }
  if (o.activation === 'prelu' && o.prelu?.length !== cout) {
    throw new KernelError(op, `prelu needs ${cout} slopes, got ${o.prelu?.length ?? 0}`);
  }
}
