import type { KernelContext } from '../core/context.ts';
import { KernelError, fmtShape } from '../core/errors.ts';
import { Tensor } from '../core/tensor.ts';
import antialiasCommon from './antialias-common.wgsl?raw';
import antialiasSource from './antialias.wgsl?raw';
import antialiasBackwardSource from './antialias-backward.wgsl?raw';
import { ATOMIC_INCLUDES, fixedPointAccumulator, fixedPointToFloat } from './fixed-point.ts';
import rasterCommon from './raster-common.wgsl?raw';
import type { Triangles } from './rasterize.ts';

const INCLUDES = { 'raster-common': rasterCommon, 'antialias-common': antialiasCommon, ...ATOMIC_INCLUDES };

function check(op: string, color: Tensor, rast: Tensor, pos: Tensor, tris: Triangles): void {
  for (const t of [color, rast, pos]) t.assertAlive(op);
  tris.assertAlive(op);
  if (rast.n !== 1 || rast.c !== 4) {
    throw new KernelError(op, `raster ${fmtShape(rast.shape)} must be [1, H, W, 4] from rasterize()`);
  }
  if (color.n !== 1 || color.h !== rast.h || color.w !== rast.w) {
    throw new KernelError(
      op,
      `colour ${fmtShape(color.shape)} must be [1, ${rast.h}, ${rast.w}, C] like the raster`,
    );
  }
  if (pos.c !== 4 || pos.h !== 1 || pos.w !== 1 || pos.n !== tris.vertexCount) {
    throw new KernelError(
      op,
      `positions ${fmtShape(pos.shape)} must be [${tris.vertexCount}, 1, 1, 4] clip-space, as rasterised`,
    );
  }
}

/**
 * Antialiases silhouette edges of a shaded image `color` [1, H, W, C] (nvdiffrast's antialias op):
 * across each silhouette edge between two pixels, the pixel on the far side of the edge's crossing
 * point takes a share of the other's colour proportional to how far the edge reaches into it (the
 * analysis is in antialias-common.wgsl). `pos`, `tris` and `rast` are those that were rasterised.
 * The blend moves continuously with the edge, which is what gives gradients w.r.t. positions.
 */
export function antialias(
  ctx: KernelContext,
  color: Tensor,
  rast: Tensor,
  pos: Tensor,
  tris: Triangles,
): Tensor {
  const op = 'antialias';
  check(op, color, rast, pos, tris);
  const out = Tensor.empty(ctx, [...color.shape], op);
  const pixels = rast.h * rast.w;
  ctx.dispatchFlat(
    ctx.program(op, antialiasSource, {}, INCLUDES),
    {
      pos,
      tris: tris.buffer,
      rast,
      color,
      dst: out,
      u: { width: rast.w, height: rast.h, c4: color.c4, pixel_count: pixels },
    },
    pixels,
  );
  return out;
}

/**
 * Adjoint of antialias(): given ∂L/∂out `dy`, returns ∂L/∂color (same shape) and ∂L/∂pos [V, 1, 1, 4]
 * (clip-space x, y, w of silhouette-edge vertices; z gets none). The raster is held fixed, as in
 * nvdiffrast: gradients through which triangle covers a pixel come only from this op.
 */
export function antialiasBackward(
  ctx: KernelContext,
  color: Tensor,
  rast: Tensor,
  pos: Tensor,
  tris: Triangles,
  dy: Tensor,
): { dColor: Tensor; dPos: Tensor } {
  const op = 'antialiasBackward';
  check(op, color, rast, pos, tris);
  dy.assertAlive(op);
  if (dy.n !== 1 || dy.h !== color.h || dy.w !== color.w || dy.c !== color.c) {
    throw new KernelError(
      op,
      `gradient ${fmtShape(dy.shape)} must match the colour ${fmtShape(color.shape)}`,
    );
  }
  const dColor = Tensor.empty(ctx, [...color.shape], `${op}.dColor`);
  const acc = fixedPointAccumulator(ctx, [pos.n, 1, 1, 4], `${op}.dPos`);
  const pixels = rast.h * rast.w;
  ctx.dispatchFlat(
    ctx.program('antialias.backward', antialiasBackwardSource, {}, INCLUDES),
    {
      pos,
      tris: tris.buffer,
      rast,
      color,
      dy,
      grad_color: dColor,
      acc,
      u: { width: rast.w, height: rast.h, c4: color.c4, pixel_count: pixels },
    },
    pixels,
  );
  return { dColor, dPos: fixedPointToFloat(ctx, acc, [pos.n, 1, 1, 4], `${op}.dPos`) };
}
