// Page half of ibl.test.ts: runs the IBL kernels in headless Chromium with a real GPUDevice.
import { KernelContext } from '../core/context.ts';
import { Tensor, type Shape4 } from '../core/tensor.ts';
import { brdfLut, equirectMips, prefilterSpecular, shProject, type PrefilterOptions } from './ibl.ts';

async function run(device: GPUDevice, f: (ctx: KernelContext) => Tensor[]) {
  const ctx = new KernelContext(device);
  const tensors = f(ctx);
  const out = tensors[tensors.length - 1];
  const data = await out.read();
  for (const t of tensors) t.dispose();
  const { liveBuffers } = ctx.pool.stats();
  ctx.dispose();
  return { data, liveBuffers };
}

export function runShProject(device: GPUDevice, a: { env: Float32Array; h: number }) {
  return run(device, (ctx) => {
    const env = Tensor.fromArray(ctx, a.env, [1, a.h, 2 * a.h, 4], 'env');
    return [env, shProject(ctx, env)];
  });
}

export function runPrefilter(
  device: GPUDevice,
  a: { env: Float32Array; h?: number; shape?: Shape4; options: PrefilterOptions },
) {
  return run(device, (ctx) => {
    const env = Tensor.fromArray(ctx, a.env, a.shape ?? [1, a.h!, 2 * a.h!, 4], 'env');
    return [env, prefilterSpecular(ctx, env, a.options)];
  });
}

export function runEquirectMips(device: GPUDevice, a: { env: Float32Array; h: number }) {
  return run(device, (ctx) => {
    const env = Tensor.fromArray(ctx, a.env, [1, a.h, 2 * a.h, 4], 'env');
    return [env, equirectMips(ctx, env)];
  });
}

export function runBrdfLut(device: GPUDevice, a: { size: number; samples: number }) {
  return run(device, (ctx) => [brdfLut(ctx, a)]);
}
