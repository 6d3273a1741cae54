import type { KernelContext } from '../core/context.ts';
import { KernelError, fmtShape } from '../core/errors.ts';
import { Tensor } from '../core/tensor.ts';
import source from './texture.wgsl?raw';

export interface TextureOptions {
  /** 'uv': coordinates in [0, 1] (texel centres at (i + 0.5) / size); 'pixel': texel centres at i + 0.5. */
  space?: 'uv' | 'pixel';
  filter?: 'nearest' | 'bilinear';
  /** A raster from rasterize(): pixels it leaves empty are zero in the output. */
  mask?: Tensor;
  label?: string;
}

/**
 * Samples `tex` [1, h, w, C] at the coordinates in channels 0, 1 of `coords` [1, H, W, ≥2]: a new
 * tensor [1, H, W, C]. Clamp-to-edge addressing, no mipmaps.
 */
export function texture(ctx: KernelContext, tex: Tensor, coords: Tensor, opts: TextureOptions = {}): Tensor {
  const op = opts.label ?? 'texture';
  for (const t of [tex, coords, opts.mask]) t?.assertAlive(op);
  if (tex.n !== 1 || coords.n !== 1 || coords.c < 2) {
    throw new KernelError(
      op,
      `texture ${fmtShape(tex.shape)} must have batch 1 and coordinates ${fmtShape(coords.shape)} must be [1, H, W, ≥2]`,
    );
  }
  const mask = opts.mask;
  if (mask && (mask.h !== coords.h || mask.w !== coords.w || mask.c !== 4 || mask.n !== 1)) {
    throw new KernelError(
      op,
      `mask ${fmtShape(mask.shape)} must be a raster [1, ${coords.h}, ${coords.w}, 4] like the coordinates`,
    );
  }
  const out = Tensor.empty(ctx, [1, coords.h, coords.w, tex.c], op);
  const count = out.vec4Count;
  const program = ctx.program('texture', source, {
    SPACE: (opts.space ?? 'uv') === 'uv' ? 0 : 1,
    FILTER: (opts.filter ?? 'bilinear') === 'bilinear' ? 1 : 0,
    HAS_MASK: mask ? 1 : 0,
  });
  ctx.dispatchFlat(
    program,
    {
      tex,
      coords,
      mask: mask ?? ctx.emptyBuffer,
      dst: out,
      u: { tex_w: tex.w, tex_h: tex.h, c4: tex.c4, coord_c4: coords.c4, count },
    },
    count,
  );
  return out;
}
