import type { KernelContext } from '../core/context.ts';
import { KernelError, fmtShape } from '../core/errors.ts';
import { Tensor } from '../core/tensor.ts';
import source from './interpolate.wgsl?raw';
import type { Triangles } from './rasterize.ts';

/**
 * Interpolates per-vertex attributes `attr` [V, 1, 1, C] over a raster [1, H, W, 4] from rasterize()
 * with the same triangles: a new tensor [1, H, W, C], zero where no triangle covers the pixel.
 */
export function interpolate(
  ctx: KernelContext,
  attr: Tensor,
  rast: Tensor,
  tris: Triangles,
  label = 'interpolate',
): Tensor {
  for (const t of [attr, rast]) t.assertAlive(label);
  tris.assertAlive(label);
  if (attr.h !== 1 || attr.w !== 1 || attr.n !== tris.vertexCount) {
    throw new KernelError(
      label,
      `attributes ${fmtShape(attr.shape)} must be [V, 1, 1, C] with V = ${tris.vertexCount} (the triangles' vertex count)`,
    );
  }
  if (rast.n !== 1 || rast.c !== 4) {
    throw new KernelError(label, `raster ${fmtShape(rast.shape)} must be [1, H, W, 4] from rasterize()`);
  }
  const out = Tensor.empty(ctx, [1, rast.h, rast.w, attr.c], label);
  const count = out.vec4Count;
  ctx.dispatchFlat(
    ctx.program('interpolate', source),
    { rast, tris: tris.buffer, attr, dst: out, u: { c4: attr.c4, count } },
    count,
  );
  return out;
}
