// Page half of shipped.test.ts: the committed weights directory, held in memory, run through the
// inference path (loader + tiled runner) on WebGPU.
import { KernelContext } from '@avatarme/kernels';
import { loadReflectanceNetworks } from './loader.ts';
import { runReflectanceNetworks } from './run.ts';
import { memoryWeightSource } from './source.ts';

export interface ShippedCase {
  files: Record<string, Uint8Array>;
  /** HWC, size² × 3: texture in [0, 1], shape normals in [-1, 1]. */
  texture: Float32Array;
  shapeNormals: Float32Array;
  size: number;
}

export async function runShipped(device: GPUDevice, c: ShippedCase) {
  const ctx = new KernelContext(device);
  const nets = await loadReflectanceNetworks(ctx, memoryWeightSource('shipped', c.files));
  const result = await runReflectanceNetworks(
    ctx,
    nets,
    { size: c.size, texture: c.texture, shapeNormals: c.shapeNormals },
    {},
    () => {},
  );
  nets.dispose();
  const { liveBuffers } = ctx.pool.stats();
  ctx.dispose();
  return {
    maps: Object.fromEntries(Object.entries(result.maps).map(([k, v]) => [k, v.data])),
    windows: result.plans.map((p) => p.windows),
    liveBuffers,
  };
}
