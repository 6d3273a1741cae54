import type { KernelContext } from './context.ts';
import { KernelError, fmtShape } from './errors.ts';

export type Shape4 = [n: number, h: number, w: number, c: number];

/**
 * An activation tensor on the GPU: NHWC, channels stored in groups of four (vec4), the unused lanes of
 * the last group zero. Every kernel reads and writes whole vec4s, so loads are aligned 16-byte reads
 * and no kernel needs a per-channel tail loop.
 */
export class Tensor {
  private disposed = false;

  constructor(
    readonly ctx: KernelContext,
    readonly buffer: GPUBuffer,
    readonly shape: Shape4,
    private readonly pooled: boolean,
  ) {}

  get n(): number {
    return this.shape[0];
  }
  get h(): number {
    return this.shape[1];
  }
  get w(): number {
    return this.shape[2];
  }
  get c(): number {
    return this.shape[3];
  }
  get c4(): number {
    return Math.ceil(this.shape[3] / 4);
  }
  /** Number of vec4 elements. */
  get vec4Count(): number {
    return this.n * this.h * this.w * this.c4;
  }
  get byteLength(): number {
    return this.vec4Count * 16;
  }

  static byteLengthOf(shape: Shape4): number {
    return shape[0] * shape[1] * shape[2] * Math.ceil(shape[3] / 4) * 16;
  }

  static empty(ctx: KernelContext, shape: Shape4, label = 'tensor'): Tensor {
    if (shape.length !== 4 || shape.some((d) => !Number.isInteger(d) || d <= 0)) {
      throw new KernelError('Tensor', `shape ${fmtShape(shape)} must be four positive integers [N, H, W, C]`);
    }
    const bytes = Tensor.byteLengthOf(shape);
    ctx.checkBindingSize(label, 'tensor', shape, bytes);
    return new Tensor(ctx, ctx.pool.acquire(bytes, label), [...shape] as Shape4, true);
  }

  /** Uploads a dense NHWC array (channels not padded). */
  static fromArray(ctx: KernelContext, data: Float32Array, shape: Shape4, label = 'tensor'): Tensor {
    const [n, h, w, c] = shape;
    if (data.length !== n * h * w * c) {
      throw new KernelError('Tensor.fromArray', `${data.length} values do not fill shape ${fmtShape(shape)}`);
    }
    const t = Tensor.empty(ctx, shape, label);
    // The pooled buffer may still be read by recorded, unsubmitted work: a queue.writeBuffer would
    // land before that work runs. A copy recorded in the encoder keeps the order.
    const padded = padChannels(data, n * h * w, c);
    const staging = ctx.device.createBuffer({
      label: `${label}.upload`,
      size: padded.byteLength,
      usage: GPUBufferUsage.COPY_SRC,
      mappedAtCreation: true,
    });
    new Float32Array(staging.getMappedRange()).set(padded);
    staging.unmap();
    ctx.commandEncoder.copyBufferToBuffer(staging, 0, t.buffer, 0, padded.byteLength);
    ctx.deferDestroy(staging);
    return t;
  }

  /** Reads back as a dense NHWC Float32Array (channel padding removed). */
  async read(): Promise<Float32Array> {
    this.assertAlive('read');
    const raw = new Float32Array(await this.ctx.readBuffer(this.buffer, this.byteLength));
    return unpadChannels(raw, this.n * this.h * this.w, this.c);
  }

  assertAlive(op: string): void {
    if (this.disposed)
      throw new KernelError(op, `tensor ${this.buffer.label} ${fmtShape(this.shape)} was already disposed`);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.pooled) this.ctx.pool.release(this.buffer);
    else this.buffer.destroy();
  }
}

export function padChannels(data: Float32Array, pixels: number, c: number): Float32Array {
  const c4 = Math.ceil(c / 4) * 4;
  if (c4 === c) return data;
  const out = new Float32Array(pixels * c4);
  for (let p = 0; p < pixels; p++) for (let k = 0; k < c; k++) out[p * c4 + k] = data[p * c + k];
  return out;
}

export function unpadChannels(data: Float32Array, pixels: number, c: number): Float32Array {
  const c4 = Math.ceil(c / 4) * 4;
  if (c4 === c) return data.length === pixels * c ? data : data.slice(0, pixels * c);
  const out = new Float32Array(pixels * c);
  for (let p = 0; p < pixels; p++) for (let k = 0; k < c; k++) out[p * c + k] = data[p * c4 + k];
  return out;
}
