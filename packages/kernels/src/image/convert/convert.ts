import type { KernelContext } from '../../core/context.ts';
import { KernelError, fmtShape } from '../../core/errors.ts';
import { Tensor } from '../../core/tensor.ts';
import toTensorSource from './rgba8-to-tensor.wgsl?raw';
import toRgbaSource from './tensor-to-rgba8.wgsl?raw';

/** A scalar for every channel, or one value per channel (R, G, B, A). */
export type PerChannel = number | readonly number[];

function vec4Of(op: string, what: string, v: PerChannel): number[] {
  const a = typeof v === 'number' ? [v, v, v, v] : [...v];
  if (a.length < 3 || a.length > 4 || a.some((x) => !Number.isFinite(x))) {
    throw new KernelError(op, `${what} must be a finite number or 3–4 per-channel numbers, got ${String(v)}`);
  }
  while (a.length < 4) a.push(0);
  return a;
}

/**
 * Uploads RGBA8 pixels (canvas ImageData order) as one u32 per pixel and unpacks them on the GPU into
 * a [1, height, width, channels] tensor with y = v·scale + bias (v in 0..255; default scale 1/255,
 * bias 0, i.e. [0, 1]). Scale and bias may be per channel (e.g. mean/std normalisation).
 */
export function rgba8ToTensor(
  ctx: KernelContext,
  rgba: Uint8Array | Uint8ClampedArray,
  width: number,
  height: number,
  o: { channels?: 3 | 4; scale?: PerChannel; bias?: PerChannel } = {},
): Tensor {
  const op = 'rgba8ToTensor';
  const channels = o.channels ?? 3;
  if (channels !== 3 && channels !== 4) throw new KernelError(op, `channels must be 3 or 4, got ${channels}`);
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0)) {
    throw new KernelError(op, `size ${width}×${height} must be positive integers`);
  }
  const pixels = width * height;
  if (rgba.length !== pixels * 4) {
    throw new KernelError(
      op,
      `${rgba.length} bytes do not fill ${width}×${height} RGBA8 pixels (${pixels * 4})`,
    );
  }
  const out = Tensor.empty(ctx, [1, height, width, channels], op);
  const bytes = rgba.byteOffset % 4 === 0 ? rgba : rgba.slice();
  ctx.checkBindingSize(op, 'packed RGBA8 input', [height, width, 4], pixels * 4);
  // Submit pending work first: it may still read a pooled buffer that the upload below reuses.
  ctx.flush();
  const upload = ctx.pool.acquire(pixels * 4, `${op}.packed`);
  ctx.device.queue.writeBuffer(
    upload,
    0,
    new Uint32Array(bytes.buffer, bytes.byteOffset, pixels) as Uint32Array<ArrayBuffer>,
  );
  ctx.dispatchFlat(
    ctx.program(op, toTensorSource),
    {
      packed: upload,
      dst: out,
      u: {
        count: pixels,
        channels,
        scale: vec4Of(op, 'scale', o.scale ?? 1 / 255),
        bias: vec4Of(op, 'bias', o.bias ?? 0),
      },
    },
    pixels,
  );
  // Submit before the staging buffer goes back to the pool, so a later upload cannot overwrite it
  // before this dispatch has read it. (Recording into a caller's encoder, submit before the next upload.)
  ctx.flush();
  ctx.pool.release(upload);
  return out;
}

/**
 * Packs a [N, H, W, 1|3|4] tensor into RGBA8, one u32 per pixel (N·H·W of them, images one after
 * another): u8 = round-half-up(clamp(v·scale + bias, 0, 255)), default scale 255, bias 0. One channel
 * becomes gray; without a fourth channel alpha is 255. The returned buffer comes from ctx.pool and
 * belongs to the caller: give it back with ctx.pool.release(buffer) (read it with readRgba8).
 */
export function tensorToRgba8(
  ctx: KernelContext,
  x: Tensor,
  o: { scale?: number; bias?: number } = {},
): GPUBuffer {
  const op = 'tensorToRgba8';
  x.assertAlive(op);
  const [n, h, w, c] = x.shape;
  if (c !== 1 && c !== 3 && c !== 4) {
    throw new KernelError(op, `input ${fmtShape(x.shape)} must have 1, 3 or 4 channels`);
  }
  const pixels = n * h * w;
  const out = ctx.pool.acquire(pixels * 4, op);
  ctx.dispatchFlat(
    ctx.program(op, toRgbaSource),
    {
      src: x,
      packed: out,
      u: { count: pixels, channels: c, scale: o.scale ?? 255, bias: o.bias ?? 0 },
    },
    pixels,
  );
  return out;
}

/** Reads width × height RGBA8 pixels from a buffer made by tensorToRgba8 (the buffer stays the caller's). */
export async function readRgba8(
  ctx: KernelContext,
  buf: GPUBuffer,
  width: number,
  height: number,
): Promise<Uint8ClampedArray> {
  const bytes = width * height * 4;
  if (bytes > buf.size) {
    throw new KernelError(
      'readRgba8',
      `${width}×${height} pixels need ${bytes} bytes, buffer ${buf.label} has ${buf.size}`,
    );
  }
  return new Uint8ClampedArray(await ctx.readBuffer(buf, bytes));
}
