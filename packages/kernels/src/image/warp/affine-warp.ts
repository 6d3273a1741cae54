import type { KernelContext } from '../../core/context.ts';
import { KernelError, fmtShape } from '../../core/errors.ts';
import { Tensor } from '../../core/tensor.ts';
import source from './affine-warp.wgsl?raw';

export type AffineMatrix = [number, number, number, number, number, number];

export interface AffineWarpOptions {
  /**
   * Output pixel centre (u + 0.5, v + 0.5) → input coordinates (input pixel centres at +0.5):
   * ix = m0·(u+0.5) + m1·(v+0.5) + m2, iy = m3·(u+0.5) + m4·(v+0.5) + m5. A crop of the box
   * (x0, y0, size s) to S×S pixels is [s/S, 0, x0, 0, s/S, y0].
   */
  matrix: AffineMatrix;
  height: number;
  width: number;
  /** 'zero' (default): taps outside the input read 0; 'replicate': the nearest edge pixel. */
  border?: 'zero' | 'replicate';
}

/**
 * Bilinear affine warp (crop, scale, rotate) of an NHWC tensor into [N, height, width, C]. Same as
 * TF's ImageProjectiveTransform (tf.image.transform, bilinear) with fill mode 'constant' 0 ('zero')
 * or 'nearest' ('replicate'), once the half-pixel offsets are folded into the matrix.
 */
export function affineWarp(ctx: KernelContext, x: Tensor, o: AffineWarpOptions): Tensor {
  const op = 'affineWarp';
  x.assertAlive(op);
  const border = o.border ?? 'zero';
  if (border !== 'zero' && border !== 'replicate') throw new KernelError(op, `unknown border "${border}"`);
  if (o.matrix.length !== 6 || o.matrix.some((m) => !Number.isFinite(m))) {
    throw new KernelError(op, `matrix [${o.matrix.join(', ')}] must be 6 finite numbers`);
  }
  if (![o.height, o.width].every((d) => Number.isInteger(d) && d > 0)) {
    throw new KernelError(
      op,
      `output size ${o.height}×${o.width} must be positive integers (input ${fmtShape(x.shape)})`,
    );
  }
  const [m0, m1, m2, m3, m4, m5] = o.matrix;
  const [n, , , c] = x.shape;
  const out = Tensor.empty(ctx, [n, o.height, o.width, c], op);
  const count = out.vec4Count;
  ctx.dispatchFlat(
    ctx.program(op, source),
    {
      src: x,
      dst: out,
      u: {
        in_h: x.h,
        in_w: x.w,
        out_h: o.height,
        out_w: o.width,
        c4: x.c4,
        count,
        border: border === 'zero' ? 0 : 1,
        // Folding both half-pixel offsets into the translation (in f64) leaves the shader one dot product.
        row0: [m0, m1, m2 - 0.5 + 0.5 * (m0 + m1), 0],
        row1: [m3, m4, m5 - 0.5 + 0.5 * (m3 + m4), 0],
      },
    },
    count,
  );
  return out;
}
