import { KernelError } from '../core/errors.ts';
import type { Padding } from '../core/types.ts';

export interface ConvGeometry {
  kh: number;
  kw: number;
  strideY: number;
  strideX: number;
  dilationY: number;
  dilationX: number;
}

export function pair(v: number | readonly [number, number] | undefined, dflt: number): [number, number] {
  if (v === undefined) return [dflt, dflt];
  return typeof v === 'number' ? [v, v] : [v[0], v[1]];
}

/** Resolves padding to [top, bottom, left, right]. TF 'same' puts the odd extra pixel at the bottom/right. */
export function resolvePadding(
  padding: Padding,
  h: number,
  w: number,
  g: ConvGeometry,
): [number, number, number, number] {
  if (padding === 'valid') return [0, 0, 0, 0];
  if (typeof padding === 'number') return [padding, padding, padding, padding];
  if (padding === 'same') {
    const total = (size: number, k: number, s: number, d: number) =>
      Math.max((Math.ceil(size / s) - 1) * s + (k - 1) * d + 1 - size, 0);
    const th = total(h, g.kh, g.strideY, g.dilationY);
    const tw = total(w, g.kw, g.strideX, g.dilationX);
    return [Math.floor(th / 2), th - Math.floor(th / 2), Math.floor(tw / 2), tw - Math.floor(tw / 2)];
  }
  return [padding[0], padding[1], padding[2], padding[3]];
}

export function convOutputSize(
  op: string,
  h: number,
  w: number,
  pads: readonly number[],
  g: ConvGeometry,
): [number, number] {
  const oh = Math.floor((h + pads[0] + pads[1] - g.dilationY * (g.kh - 1) - 1) / g.strideY) + 1;
  const ow = Math.floor((w + pads[2] + pads[3] - g.dilationX * (g.kw - 1) - 1) / g.strideX) + 1;
  if (oh <= 0 || ow <= 0) {
    throw new KernelError(
      op,
      `input ${h}×${w} with padding [${pads.join(', ')}] is smaller than the dilated ${g.kh}×${g.kw} kernel`,
    );
  }
  return [oh, ow];
}

/** PyTorch's ConvTranspose2d output size: (in - 1)·stride - padBefore - padAfter + k + outputPadding. */
export function convTransposeOutputSize(
  size: number,
  k: number,
  stride: number,
  padBefore: number,
  padAfter: number,
  outputPadding: number,
): number {
  return (size - 1) * stride - padBefore - padAfter + k + outputPadding;
}
