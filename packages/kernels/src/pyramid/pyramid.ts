import source from './pyramid.wgsl?raw';

/** The includes of the kernels that step between pyramid levels, for KernelContext.program. */
export const PYRAMID_INCLUDES = { pyramid: source };

/**
 * pyramid.wgsl's Params for a step between a fine level and the coarse one ([h, w] each): `c4`
 * channel groups, `count` vec4 groups written, binaryMask (push-pull) thresholding level 0's weights.
 */
export function pyramidParams(
  fine: readonly [number, number],
  coarse: readonly [number, number],
  c4: number,
  count: number,
  binaryMask = false,
) {
  return {
    fine_h: fine[0],
    fine_w: fine[1],
    coarse_h: coarse[0],
    coarse_w: coarse[1],
    c4,
    count,
    binary_mask: binaryMask ? 1 : 0,
  };
}
