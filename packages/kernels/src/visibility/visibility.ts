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

interface KeptOcclusion {
  inputs: Uint8Array[];
  options: string;
  result: Float32Array;
}

/**
 * The last results per context: a reconstruction asks for the same mesh's occlusion twice (the
 * reflectance's texel layout and the renders), ~0.5 s each on SwiftShader. Kept with copies of their
 * inputs and given back only for the same bytes, so a caller that changed an array in place gets a
 * new result.
 */
const keptOcclusion = new WeakMap<KernelContext, KeptOcclusion[]>();
const KEPT_OCCLUSIONS = 2;

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  // Word by word where both are aligned (they are: copies, and views of float and index arrays).
  if (a.byteOffset % 4 === 0 && b.byteOffset % 4 === 0 && a.byteLength % 4 === 0) {
    const x = new Uint32Array(a.buffer, a.byteOffset, a.byteLength / 4);
    const y = new Uint32Array(b.buffer, b.byteOffset, b.byteLength / 4);
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
    return true;
  }
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

const bytesOf = (a: Float32Array | Uint32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/**
 * Cosine-weighted visibility of the environment per vertex in [0, 1] (1 = nothing in the way), by
 * rasterising the mesh orthographically from `directions` directions over the sphere with our
 * rasteriser and testing each vertex against the nearest surface (accumulateVisibility). A second
 * call with the same context, mesh bytes and options returns a copy of the first's result.
 */
export async function ambientOcclusion(
  ctx: KernelContext,
  positions: Float32Array,
  normals: Float32Array,
  triangles: Uint32Array,
  o: AmbientOcclusionOptions = {},
): Promise<Float32Array> {
  const inputs = [positions, normals, triangles].map(bytesOf);
  const options = JSON.stringify([o.directions, o.resolution, o.bias]);
  const kept = keptOcclusion.get(ctx) ?? [];
  const hit = kept.find((k) => k.options === options && k.inputs.every((b, i) => sameBytes(b, inputs[i])));
  if (hit) return hit.result.slice();
  const result = await computeOcclusion(ctx, positions, normals, triangles, o);
  kept.unshift({ inputs: inputs.map((b) => b.slice()), options, result: result.slice() });
  keptOcclusion.set(ctx, kept.slice(0, KEPT_OCCLUSIONS));
  return result;
}

async function computeOcclusion(
  ctx: KernelContext,
  positions: Float32Array,
  normals: Float32Array,
  triangles: Uint32Array,
  o: AmbientOcclusionOptions,
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
      const [a0, a1, a2] = normalize(cross(up, d));
      const [b0, b1, b2] = cross(d, [a0, a1, a2]);
      const [d0, d1, d2] = d;
      const [c0, c1, c2] = centre;
      // Scalars, not small arrays per vertex: the same sums in the same order, ~10× faster.
      for (let v = 0; v < V; v++) {
        const p0 = positions[v * 3] - c0;
        const p1 = positions[v * 3 + 1] - c1;
        const p2 = positions[v * 3 + 2] - c2;
        clip[v * 4] = (a0 * p0 + a1 * p1 + a2 * p2) / radius;
        clip[v * 4 + 1] = (b0 * p0 + b1 * p1 + b2 * p2) / radius;
        clip[v * 4 + 2] = -(d0 * p0 + d1 * p1 + d2 * p2) / radius;
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
function normalize(v: number[]): number[] {
  const l = Math.hypot(v[0], v[1], v[2]);
  return v.map((x) => x / l);
}
