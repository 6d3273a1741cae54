import type { KernelContext } from '../../core/context.ts';
import { KernelError, fmtShape } from '../../core/errors.ts';
import { Tensor } from '../../core/tensor.ts';
import { PYRAMID_INCLUDES, pyramidParams } from '../../pyramid/pyramid.ts';
import pullSource from './pull.wgsl?raw';
import pushSource from './push.wgsl?raw';

/** Sizes of the pyramid levels: full size, then halved (rounded up) until 1 × 1. */
export function pyramidSizes(height: number, width: number): [number, number][] {
  const sizes: [number, number][] = [[height, width]];
  while (sizes[sizes.length - 1][0] > 1 || sizes[sizes.length - 1][1] > 1) {
    const [h, w] = sizes[sizes.length - 1];
    sizes.push([Math.ceil(h / 2), Math.ceil(w / 2)]);
  }
  return sizes;
}

/**
 * Fills the pixels of x where mask ≤ 0.5 by push-pull (Gortler et al.'s Lumigraph hole filling):
 * push builds a pyramid of mask-weighted 2× means (each coarse pixel is the mean of the known
 * full-resolution pixels it covers); pull walks back down, keeping every pixel that has known pixels
 * below it and filling the rest from the bilinear up-sampling of the filled coarser level. Known
 * pixels come out bit-identical. Works for any size, odd ones included; an image with no known pixel
 * comes out zero. x: [N, H, W, C], mask: [N, H, W, 1]; returns a new tensor.
 */
export function pushPullInpaint(ctx: KernelContext, x: Tensor, mask: Tensor): Tensor {
  const op = 'pushPullInpaint';
  x.assertAlive(op);
  mask.assertAlive(op);
  const [n, h, w, c] = x.shape;
  if (mask.n !== n || mask.h !== h || mask.w !== w || mask.c !== 1) {
    throw new KernelError(
      op,
      `mask ${fmtShape(mask.shape)} must be [${n}, ${h}, ${w}, 1] for input ${fmtShape(x.shape)}`,
    );
  }
  const sizes = pyramidSizes(h, w);
  if (sizes.length === 1) return copyKnown(ctx, x, mask);
  const push = ctx.program('pushPullInpaint.push', pushSource, {}, PYRAMID_INCLUDES);
  const pull = ctx.program('pushPullInpaint.pull', pullSource, {}, PYRAMID_INCLUDES);
  // colours[k], weights[k]: level k of the pyramid; level 0 is the input itself.
  const colours: Tensor[] = [x];
  const weights: Tensor[] = [mask];
  for (let k = 1; k < sizes.length; k++) {
    const [oh, ow] = sizes[k];
    const colour = Tensor.empty(ctx, [n, oh, ow, c], `${op}.colour${k}`);
    const weight = Tensor.empty(ctx, [n, oh, ow, 1], `${op}.weight${k}`);
    const count = colour.vec4Count;
    ctx.dispatchFlat(
      push,
      {
        colour_in: colours[k - 1],
        weight_in: weights[k - 1],
        colour_out: colour,
        weight_out: weight,
        u: pyramidParams(sizes[k - 1], sizes[k], x.c4, count, k === 1),
      },
      count,
    );
    colours.push(colour);
    weights.push(weight);
  }
  // The coarsest level needs no filling: its one pixel is the mean of all known pixels (or 0).
  let coarse = colours[sizes.length - 1];
  for (let k = sizes.length - 2; k >= 0; k--) {
    const [lh, lw] = sizes[k];
    const filled = Tensor.empty(ctx, [n, lh, lw, c], k === 0 ? op : `${op}.filled${k}`);
    const count = filled.vec4Count;
    ctx.dispatchFlat(
      pull,
      {
        colour: colours[k],
        weight: weights[k],
        coarse,
        filled,
        u: pyramidParams(sizes[k], sizes[k + 1], x.c4, count, k === 0),
      },
      count,
    );
    if (coarse !== colours[sizes.length - 1]) coarse.dispose();
    coarse = filled;
  }
  // Pooling the intermediates now is safe: the queue runs the dispatches that read them first.
  for (let k = 1; k < sizes.length; k++) {
    colours[k].dispose();
    weights[k].dispose();
  }
  return coarse;
}

/** A 1 × 1 input has nothing to fill from: the pixel if known, else 0 (one push step computes exactly that). */
function copyKnown(ctx: KernelContext, x: Tensor, mask: Tensor): Tensor {
  const [n, , , c] = x.shape;
  const colour = Tensor.empty(ctx, [n, 1, 1, c], 'pushPullInpaint');
  const weight = Tensor.empty(ctx, [n, 1, 1, 1], 'pushPullInpaint.weight');
  const count = colour.vec4Count;
  ctx.dispatchFlat(
    ctx.program('pushPullInpaint.push', pushSource, {}, PYRAMID_INCLUDES),
    {
      colour_in: x,
      weight_in: mask,
      colour_out: colour,
      weight_out: weight,
      u: pyramidParams([1, 1], [1, 1], x.c4, count, true),
    },
    count,
  );
  weight.dispose();
  return colour;
}
