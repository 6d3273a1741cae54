// Page half of gaussian-blur.test.ts: runs in headless Chromium with a real GPUDevice.
import type { Shape4 } from '../../core/tensor.ts';
import { runPoisoned } from '../../testing/readback.ts';
import { gaussianBlur, type GaussianBlurOptions } from './gaussian-blur.ts';

export function runGaussianBlur(
  device: GPUDevice,
  c: { x: Float32Array; shape: Shape4; options: GaussianBlurOptions },
) {
  return runPoisoned(
    device,
    c,
    () => c.shape,
    (ctx, x) => gaussianBlur(ctx, x, c.options),
  );
}
