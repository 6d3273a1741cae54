import type { KernelContext } from '../core/context.ts';
import { KernelError, fmtShape } from '../core/errors.ts';
import { Tensor } from '../core/tensor.ts';
import source from './pixel-shuffle.wgsl?raw';

/**
 * Channel order of the input's s² sub-pixel blocks:
 * - 'DCR' (TF depth_to_space, NHWC): out[h·s+i, w·s+j, c] = in[h, w, (i·s+j)·C + c]
 * - 'CRD' (PyTorch pixel_shuffle, NCHW semantics): out[h·s+i, w·s+j, c] = in[h, w, c·s·s + i·s + j]
 * A network imported from PyTorch needs 'CRD' even though our tensors are NHWC.
 */
export type DepthToSpaceOrder = 'DCR' | 'CRD';

/** [N, H, W, C·s²] → [N, H·s, W·s, C]; returns a new tensor. */
export function depthToSpace(ctx: KernelContext, x: Tensor, block: number, order: DepthToSpaceOrder): Tensor {
  const label = 'depthToSpace';
  x.assertAlive(label);
  if (!Number.isInteger(block) || block < 1) {
    throw new KernelError(label, `block size ${block} must be a positive integer`);
  }
  if (order !== 'DCR' && order !== 'CRD') throw new KernelError(label, `unknown order "${order}"`);
  const [n, h, w, c] = x.shape;
  const ss = block * block;
  if (c % ss !== 0) {
    throw new KernelError(
      label,
      `input ${fmtShape(x.shape)} has ${c} channels, not a multiple of block² = ${ss}`,
    );
  }
  const out = Tensor.empty(ctx, [n, h * block, w * block, c / ss], label);
  const count = out.vec4Count;
  ctx.dispatchFlat(
    ctx.program('depthToSpace', source, { ORDER: order === 'DCR' ? 0 : 1 }),
    {
      src: x,
      dst: out,
      u: {
        in_h: h,
        in_w: w,
        in_c4: x.c4,
        out_c: c / ss,
        out_c4: out.c4,
        block,
        count,
      },
    },
    count,
  );
  return out;
}
