import type { KernelContext } from '../core/context.ts';
import { KernelError, fmtShape } from '../core/errors.ts';
import { Tensor } from '../core/tensor.ts';
import interpolateBackwardSource from './interpolate-backward.wgsl?raw';
import textureBackwardSource from './texture-backward.wgsl?raw';
import type { Triangles } from './rasterize.ts';
import type { TextureOptions } from './texture.ts';
import { ATOMIC_INCLUDES, fixedPointAccumulator, fixedPointToFloat } from './fixed-point.ts';

function checkSameImage(op: string, what: string, t: Tensor, rast: Tensor, channels?: number): void {
  if (t.n !== 1 || t.h !== rast.h || t.w !== rast.w || (channels !== undefined && t.c !== channels)) {
    throw new KernelError(
      op,
      `${what} ${fmtShape(t.shape)} must be [1, ${rast.h}, ${rast.w}, ${channels ?? 'C'}] like the raster ${fmtShape(rast.shape)}`,
    );
  }
}

/**
 * Adjoint of interpolate(): given ∂L/∂out `dy` [1, H, W, C], returns ∂L/∂attr [V, 1, 1, C] and
 * ∂L/∂(u, v) per pixel in channels 0, 1 of a [1, H, W, 4] tensor (for the raster's barycentrics).
 */
export function interpolateBackward(
  ctx: KernelContext,
  attr: Tensor,
  rast: Tensor,
  tris: Triangles,
  dy: Tensor,
  label = 'interpolateBackward',
): { dAttr: Tensor; dRast: Tensor } {
  for (const t of [attr, rast, dy]) t.assertAlive(label);
  tris.assertAlive(label);
  if (attr.h !== 1 || attr.w !== 1 || attr.n !== tris.vertexCount) {
    throw new KernelError(
      label,
      `attributes ${fmtShape(attr.shape)} must be [V, 1, 1, C] with V = ${tris.vertexCount}`,
    );
  }
  if (rast.n !== 1 || rast.c !== 4) {
    throw new KernelError(label, `raster ${fmtShape(rast.shape)} must be [1, H, W, 4] from rasterize()`);
  }
  checkSameImage(label, 'gradient', dy, rast, attr.c);
  const acc = fixedPointAccumulator(ctx, attr.shape, `${label}.dAttr`);
  const dRast = Tensor.empty(ctx, [1, rast.h, rast.w, 4], `${label}.dRast`);
  const pixels = rast.h * rast.w;
  ctx.dispatchFlat(
    ctx.program('interpolate.backward', interpolateBackwardSource, {}, ATOMIC_INCLUDES),
    {
      rast,
      tris: tris.buffer,
      attr,
      dy,
      acc,
      grad_rast: dRast,
      u: { c4: attr.c4, pixel_count: pixels },
    },
    pixels,
  );
  return { dAttr: fixedPointToFloat(ctx, acc, attr.shape, `${label}.dAttr`), dRast };
}

/**
 * Adjoint of bilinear texture(): given ∂L/∂out `dy` [1, H, W, C], returns ∂L/∂tex (the texture's
 * shape) and ∂L/∂coords in channels 0, 1 of a [1, H, W, 4] tensor.
 */
export function textureBackward(
  ctx: KernelContext,
  tex: Tensor,
  coords: Tensor,
  dy: Tensor,
  opts: Omit<TextureOptions, 'filter'> = {},
): { dTex: Tensor; dCoords: Tensor } {
  const op = opts.label ?? 'textureBackward';
  for (const t of [tex, coords, dy, opts.mask]) t?.assertAlive(op);
  if (tex.n !== 1 || coords.n !== 1 || coords.c < 2) {
    throw new KernelError(
      op,
      `texture ${fmtShape(tex.shape)} must have batch 1 and coordinates ${fmtShape(coords.shape)} must be [1, H, W, ≥2]`,
    );
  }
  checkSameImage(op, 'gradient', dy, coords, tex.c);
  if (opts.mask) checkSameImage(op, 'mask', opts.mask, coords, 4);
  const acc = fixedPointAccumulator(ctx, tex.shape, `${op}.dTex`);
  const dCoords = Tensor.empty(ctx, [1, coords.h, coords.w, 4], `${op}.dCoords`);
  const pixels = coords.h * coords.w;
  const program = ctx.program(
    'texture.backward',
    textureBackwardSource,
    { SPACE: (opts.space ?? 'uv') === 'uv' ? 0 : 1, HAS_MASK: opts.mask ? 1 : 0 },
    ATOMIC_INCLUDES,
  );
  ctx.dispatchFlat(
    program,
    {
      tex,
      coords,
      mask: opts.mask ?? ctx.emptyBuffer,
      dy,
      acc,
      grad_coords: dCoords,
      u: { tex_w: tex.w, tex_h: tex.h, c4: tex.c4, coord_c4: coords.c4, pixel_count: pixels },
    },
    pixels,
  );
  return { dTex: fixedPointToFloat(ctx, acc, tex.shape, `${op}.dTex`), dCoords };
}
