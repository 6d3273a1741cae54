// Page half of patchmatch.test.ts: runs in headless Chromium with a real GPUDevice.
import { KernelContext } from '../core/context.ts';
import { Tensor, type Shape4 } from '../core/tensor.ts';
import { patchMatchFill, type PatchMatchOptions } from './patchmatch.ts';

export async function runPatchMatch(
  device: GPUDevice,
  c: {
    image: Float32Array;
    known: Float32Array;
    classes: Float32Array;
    shape: Shape4;
    options?: PatchMatchOptions;
  },
) {
  const ctx = new KernelContext(device);
  const [, h, w] = c.shape;
  const image = Tensor.fromArray(ctx, c.image, c.shape, 'image');
  const known = Tensor.fromArray(ctx, c.known, [1, h, w, 1], 'known');
  const classes = Tensor.fromArray(ctx, c.classes, [1, h, w, 2], 'classes');
  try {
    const out = patchMatchFill(ctx, image, known, classes, c.options);
    const [data, field] = await Promise.all([out.image.read(), out.nnf.read()]);
    for (const t of [image, known, classes, out.image, out.nnf]) t.dispose();
    const { liveBuffers } = ctx.pool.stats();
    const nnf = Int32Array.from({ length: h * w }, (_, i) => field[2 * i]);
    return { data, nnf, liveBuffers };
  } finally {
    ctx.dispose();
  }
}
