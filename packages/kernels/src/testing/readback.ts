// Page-side helpers for the parity tests: read a tensor back with its vec4 padding, so tests can prove
// that kernels write zeros to the pad lanes.
import { unpadChannels, type Tensor } from '../core/tensor.ts';

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
