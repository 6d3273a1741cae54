// Page half of pad.test.ts: runs in headless Chromium with a real GPUDevice.
import type { Shape4 } from '../core/tensor.ts';
import { runPoisoned, type LimitOverrides } from '../testing/readback.ts';
import { pad, type PadSpec } from './pad.ts';

export interface PadCase {
  x: Float32Array;
  shape: Shape4;
  spec: PadSpec;
  limits?: LimitOverrides;
}

export async function runPad(device: GPUDevice, c: PadCase) {
  const [n, h, w, ch] = c.shape;
  const outShape: Shape4 = [
    n,
    Math.max(h + c.spec.top + c.spec.bottom, c.spec.minHeight ?? 0),
    Math.max(w + c.spec.left + c.spec.right, c.spec.minWidth ?? 0),
    ch,
  ];
  // An invalid spec has no output shape: leave the error to pad().
  const valid = outShape.every((d) => Number.isInteger(d) && d > 0);
  return runPoisoned(
    device,
    c,
    () => (valid ? outShape : undefined),
    (ctx, x) => pad(ctx, x, c.spec),
  );
}
