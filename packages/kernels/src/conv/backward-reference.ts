import type { Padding } from '../core/types.ts';
import { convOutputSize, resolvePadding, type ConvGeometry } from './geometry.ts';

export interface ConvBackwardGeometry {
  stride?: [number, number];
  dilation?: [number, number];
  padding?: Padding;
  groups?: number;
}

/**
 * Input gradient of a zero-padded convolution (conv2dReference without its epilogue), written as the
 * scatter that transposes the forward loop: every output gradient dy[oy, ox, co] adds
 * dy · w[ky, kx, ci, co] to the input pixel the tap read. NHWC, HWIO [kh, kw, cin/groups, cout];
 * accumulated in float64.
 */
export function conv2dBackwardDataReference(
  dy: Float32Array,
  xShape: readonly number[],
  weights: Float32Array,
  wShape: readonly number[],
  o: ConvBackwardGeometry = {},
): { data: Float32Array; shape: [number, number, number, number] } {
  const [n, h, w, cin] = xShape;
  const [kh, kw, cinPerGroup, cout] = wShape;
  const groups = o.groups ?? 1;
  const [sy, sx] = o.stride ?? [1, 1];
  const [dly, dlx] = o.dilation ?? [1, 1];
  const g: ConvGeometry = { kh, kw, strideY: sy, strideX: sx, dilationY: dly, dilationX: dlx };
  const pads = resolvePadding(o.padding ?? 'valid', h, w, g);
  const [pt, , pl] = pads;
  const [oh, ow] = convOutputSize('conv2dBackwardDataReference', h, w, pads, g);
  if (dy.length !== n * oh * ow * cout) {
    throw new Error(
      `conv2dBackwardDataReference: dy has ${dy.length} values, the output [${n}, ${oh}, ${ow}, ${cout}] has ${n * oh * ow * cout}`,
    );
  }
  const coutPerGroup = cout / groups;
  const acc = new Float64Array(n * h * w * cin);
  for (let b = 0; b < n; b++)
    for (let oy = 0; oy < oh; oy++)
      for (let ox = 0; ox < ow; ox++)
        for (let co = 0; co < cout; co++) {
          const d = dy[((b * oh + oy) * ow + ox) * cout + co];
          const grp = Math.floor(co / coutPerGroup);
          for (let ky = 0; ky < kh; ky++)
            for (let kx = 0; kx < kw; kx++) {
              const iy = oy * sy - pt + ky * dly;
              const ix = ox * sx - pl + kx * dlx;
              if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
              const xBase = ((b * h + iy) * w + ix) * cin + grp * cinPerGroup;
              const wBase = (ky * kw + kx) * cinPerGroup * cout + co;
              for (let ci = 0; ci < cinPerGroup; ci++) acc[xBase + ci] += d * weights[wBase + ci * cout];
            }
        }
  return { data: Float32Array.from(acc), shape: [n, h, w, cin] };
}
