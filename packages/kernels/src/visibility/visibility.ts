import type { KernelContext } from '../core/context.ts';
import { KernelError, fmtShape } from '../core/errors.ts';
import { Tensor } from '../core/tensor.ts';
import { positionBounds } from '../raster/bounds.ts';
import { Triangles, rasterize } from '../raster/rasterize.ts';
import { sphereDirections } from './reference.ts';
import source from './visibility.wgsl?raw';

/**
 * Adds one direction's visibility to `acc` [V, 1, 1, 4] in place (x += visible · max(n·d, 0),
 * y += max(n·d, 0)); `clip` are the vertices projected orthographically along −d with w = 1,
 * `raster` the rasterised mesh in that projection.
 */
export function accumulateVisibility(
  ctx: KernelContext,
  clip: Tensor,
  raster: Tensor,
  normals: Tensor,
  acc: Tensor,
  o: { direction: readonly number[]; bias?: number },
): void {
  const op = 'accumulateVisibility';
  for (const t of [clip, raster, normals, acc]) t.assertAlive(op);
  const V = clip.n;
  for (const [name, t] of [
    ['clip', clip],
    ['normals', normals],
    ['acc', acc],
  ] as const)
    if (t.n !== V || t.h !== 1 || t.w !== 1 || t.c !== 4)
      throw new KernelError(op, `${name} ${fmtShape(t.shape)} must be [${V}, 1, 1, 4]`);
  if (raster.n !== 1 || raster.c !== 4)
    throw new KernelError(op, `raster ${fmtShape(raster.shape)} must be [1, H, W, 4]`);
  const groups = Math.ceil(V / 64);
  const perRow = Math.min(groups, ctx.limits.maxComputeWorkgroupsPerDimension);
  ctx.dispatch(
    ctx.program(op, source),
    {
      clip,
      raster,
      normals,
      acc,
      u: {
        vertices: V,
        width: raster.w,
        height: raster.h,
        bias: o.bias ?? 0.01,
        dir: [...o.direction.slice(0, 3), 0],
      },
    },
    [perRow, Math.ceil(groups / perRow), 1],
  );
}

export interface AmbientOcclusionOptions {
  /** Directions over the sphere (Fibonacci). Default 64. */
  directions?: number;
  /** Side of each orthographic raster. Default 256. */
  resolution?: number;
  /** Depth tolerance in NDC units of the [−1, 1] depth range. Default 0.01 (0.5% of the mesh's extent). */
  bias?: number;
}

/**
 * Cosine-weighted visibility of the environment per vertex in [0, 1] (1 = nothing in the way), by
 * rasterising the mesh orthographically from `directions` directions over the sphere with our
 * rasteriser and testing each vertex against the nearest surface (accumulateVisibility).
 */
export async function ambientOcclusion(
  ctx: KernelContext,
  positions: Float32Array,
  normals: Float32Array,
  triangles: Uint32Array,
  o: AmbientOcclusionOptions = {},
): Promise<Float32Array> {
  const V = positions.length / 3;
  const size = o.resolution ?? 256;
  const bounds = positionBounds(positions);
  const centre = bounds.centre;
  const radius = bounds.radius * 1.02 || 1;
  const tris = Triangles.create(ctx, triangles, V, 'ao.triangles');
  const n4 = new Float32Array(V * 4);
  for (let v = 0; v < V; v++) n4.set(normals.subarray(v * 3, v * 3 + 3), v * 4);
  const normalT = Tensor.fromArray(ctx, n4, [V, 1, 1, 4], 'ao.normals');
  const acc = Tensor.fromArray(ctx, new Float32Array(V * 4), [V, 1, 1, 4], 'ao.acc');
  const clip = new Float32Array(V * 4);
  try {
    for (const d of sphereDirections(o.directions ?? 64)) {
      // Orthographic frame looking along −d: x' = e1·p, y' = e2·p, depth −d·p (near = small).
      const up = Math.abs(d[1]) < 0.9 ? [0, 1, 0] : [1, 0, 0];
      const e1 = normalize(cross(up, d));
      const e2 = cross(d, e1);
      for (let v = 0; v < V; v++) {
        const p = [0, 1, 2].map((k) => positions[v * 3 + k] - centre[k]);
        clip[v * 4] = dot(e1, p) / radius;
        clip[v * 4 + 1] = dot(e2, p) / radius;
        clip[v * 4 + 2] = -dot(d, p) / radius;
        clip[v * 4 + 3] = 1;
      }
      const clipT = Tensor.fromArray(ctx, clip, [V, 1, 1, 4], 'ao.clip');
      const raster = rasterize(ctx, clipT, tris, { width: size, height: size, label: 'ao.rasterize' });
      accumulateVisibility(ctx, clipT, raster, normalT, acc, { direction: d, bias: o.bias });
      clipT.dispose();
      raster.dispose();
    }
    const sums = await acc.read();
    const out = new Float32Array(V);
    for (let v = 0; v < V; v++) out[v] = sums[v * 4 + 1] > 0 ? sums[v * 4] / sums[v * 4 + 1] : 1;
    return out;
  } finally {
    tris.dispose();
    normalT.dispose();
    acc.dispose();
  }
}

function cross(a: readonly number[], b: readonly number[]): number[] {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}
function dot(a: readonly number[], b: readonly number[]): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}
function normalize(v: number[]): number[] {
  const l = Math.hypot(v[0], v[1], v[2]);
  return v.map((x) => x / l);
}
