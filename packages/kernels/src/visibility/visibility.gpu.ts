// Page half of visibility.test.ts.
import { KernelContext } from '../core/context.ts';
import { Tensor } from '../core/tensor.ts';
import { Triangles, rasterize } from '../raster/rasterize.ts';
import { accumulateVisibility, ambientOcclusion } from './visibility.ts';

/** Rasterises, accumulates one direction onto `acc`; returns the raster too, for the CPU reference. */
export async function runAccumulate(
  device: GPUDevice,
  a: {
    clip: Float32Array;
    normals: Float32Array;
    acc: Float32Array;
    triangles: Uint32Array;
    size: number;
    direction: number[];
    bias: number;
  },
) {
  const ctx = new KernelContext(device);
  const V = a.clip.length / 4;
  const clip = Tensor.fromArray(ctx, a.clip, [V, 1, 1, 4], 'clip');
  const normals = Tensor.fromArray(ctx, a.normals, [V, 1, 1, 4], 'normals');
  const acc = Tensor.fromArray(ctx, a.acc, [V, 1, 1, 4], 'acc');
  const tris = Triangles.create(ctx, a.triangles, V);
  const raster = rasterize(ctx, clip, tris, { width: a.size, height: a.size });
  accumulateVisibility(ctx, clip, raster, normals, acc, { direction: a.direction, bias: a.bias });
  const result = { raster: await raster.read(), acc: await acc.read() };
  for (const t of [clip, normals, acc, raster]) t.dispose();
  tris.dispose();
  const { liveBuffers } = ctx.pool.stats();
  ctx.dispose();
  return { ...result, liveBuffers };
}

export async function runAmbientOcclusion(
  device: GPUDevice,
  a: { positions: Float32Array; normals: Float32Array; triangles: Uint32Array },
) {
  const ctx = new KernelContext(device);
  const ao = await ambientOcclusion(ctx, a.positions, a.normals, a.triangles, {
    directions: 32,
    resolution: 64,
  });
  const { liveBuffers } = ctx.pool.stats();
  ctx.dispose();
  return { ao, liveBuffers };
}

/**
 * The same mesh twice in one context, then the positions moved in place: the dispatches each call
 * recorded, and every result, with a fresh context's result for the moved mesh.
 */
export async function runAmbientOcclusionRepeated(
  device: GPUDevice,
  a: { positions: Float32Array; normals: Float32Array; triangles: Uint32Array },
) {
  const o = { directions: 8, resolution: 32 };
  const ctx = new KernelContext(device);
  const counts: number[] = [];
  const call = async () => {
    const before = ctx.dispatchCount;
    const ao = await ambientOcclusion(ctx, a.positions, a.normals, a.triangles, o);
    counts.push(ctx.dispatchCount - before);
    return ao;
  };
  const first = await call();
  const second = await call();
  // A roof lowered towards the floor: more of the floor's sky is hidden.
  for (let i = 1; i < a.positions.length; i += 3) if (a.positions[i] > 0) a.positions[i] = 0.1;
  const moved = await call();
  const { liveBuffers } = ctx.pool.stats();
  ctx.dispose();
  const fresh = new KernelContext(device);
  const movedFresh = await ambientOcclusion(fresh, a.positions, a.normals, a.triangles, o);
  fresh.dispose();
  return { first, second, moved, movedFresh, counts, liveBuffers };
}
