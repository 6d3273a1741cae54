// Page half of pool.test.ts: runs in headless Chromium with a real GPUDevice.
import type { Shape4 } from '../core/tensor.ts';
import { runPoisoned, type LimitOverrides } from '../testing/readback.ts';
import { planPool2d, pool2d, type Pool2dOptions } from './pool.ts';

export function runPool(
  device: GPUDevice,
  c: { x: Float32Array; shape: Shape4; o: Pool2dOptions; limits?: LimitOverrides },
) {
  return runPoisoned(
    device,
    c,
    () => planPool2d(c.shape, c.o).outShape,
    (ctx, x) => pool2d(ctx, x, c.o),
  );
}
