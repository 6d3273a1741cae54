// Page half of reshape.test.ts: runs in headless Chromium with a real GPUDevice.
import type { Shape4 } from '../core/tensor.ts';
import { runPoisoned, type LimitOverrides } from '../testing/readback.ts';
import { reshape, resolveReshape, resolveSlice, slice } from './reshape.ts';

export function runReshape(
  device: GPUDevice,
  c: { x: Float32Array; shape: Shape4; to: Shape4; limits?: LimitOverrides },
) {
  return runPoisoned(
    device,
    c,
    () => resolveReshape(c.shape, c.to),
    (ctx, x) => reshape(ctx, x, c.to),
  );
}

export function runSlice(
  device: GPUDevice,
  c: { x: Float32Array; shape: Shape4; begin: Shape4; size: Shape4; limits?: LimitOverrides },
) {
  return runPoisoned(
    device,
    c,
    () => resolveSlice(c.shape, c.begin, c.size),
    (ctx, x) => slice(ctx, x, c.begin, c.size),
  );
}
