// Page half of pad.test.ts: runs in headless Chromium with a real GPUDevice.
import { KernelContext } from '../core/context.ts';
import { Tensor, type Shape4 } from '../core/tensor.ts';
import { poisonPool, readWithPadding, restrictLimits, type LimitOverrides } from '../testing/readback.ts';
import { pad, type PadSpec } from './pad.ts';

export interface PadCase {
  x: Float32Array;
  shape: Shape4;
  spec: PadSpec;
  limits?: LimitOverrides;
}

export async function runPad(device: GPUDevice, c: PadCase) {
  const ctx = new KernelContext(device);
  restrictLimits(ctx, c.limits);
  try {
    const [n, h, w, ch] = c.shape;
    const outShape: Shape4 = [
      n,
      Math.max(h + c.spec.top + c.spec.bottom, c.spec.minHeight ?? 0),
      Math.max(w + c.spec.left + c.spec.right, c.spec.minWidth ?? 0),
      ch,
    ];
    const x = Tensor.fromArray(ctx, c.x, c.shape, 'x');
    // An invalid spec has no output shape: leave the error to pad().
    const valid = outShape.every((d) => Number.isInteger(d) && d > 0);
    const poisoned = valid ? poisonPool(ctx, outShape) : [];
    const y = pad(ctx, x, c.spec);
    const reusedPoisoned = poisoned.includes(y.buffer);
    const out = await readWithPadding(y);
    for (const t of [x, y]) t.dispose();
    return { ...out, reusedPoisoned, liveBuffers: ctx.pool.stats().liveBuffers };
  } finally {
    ctx.dispose();
  }
}
