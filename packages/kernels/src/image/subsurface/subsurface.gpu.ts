// Page half of subsurface.test.ts: runs in headless Chromium with a real GPUDevice.
import type { Shape4 } from '../../core/tensor.ts';
import { runPoisoned } from '../../testing/readback.ts';
import { subsurfaceBlur, type SubsurfaceBlurOptions } from './subsurface.ts';

export function runSubsurfaceBlur(
  device: GPUDevice,
  c: { x: Float32Array; shape: Shape4; options: SubsurfaceBlurOptions },
) {
  return runPoisoned(
    device,
    c,
    () => c.shape,
    (ctx, x) => subsurfaceBlur(ctx, x, c.options),
  );
}
