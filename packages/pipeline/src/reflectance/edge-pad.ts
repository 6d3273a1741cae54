import { KernelError, pushPullInpaint, Tensor, type KernelContext } from '@avatarme/kernels';
import padStep from './edge-pad.wgsl?raw';

/**
 * Rings of edge padding grown around the islands before push-pull fills the rest: 4 rings cover a
 * bilinear tap and the first two mip levels of a renderer's sampling at an island's edge.
 */
export const EDGE_PAD_RINGS = 4;

/**
 * Fills the texels outside `mask` from the islands' own texels: `rings` steps of edge padding (each
 * unknown texel next to known ones takes their mean), then push-pull for what is left. Push-pull
 * alone averages every island within its coarse levels' reach, so where two islands lie a few
 * texels apart (the head atlas's scalp and eye sockets, the face cell and the next cell) each one's
 * rim took the other's colour: a dark line along the scalp seam in renders. x: [1, H, W, C];
 * mask: [1, H, W, 1], 1 = island. Texels inside the islands are kept bit for bit.
 */
export function padIslands(ctx: KernelContext, x: Tensor, mask: Tensor, rings = EDGE_PAD_RINGS): Tensor {
  if (mask.h !== x.h || mask.w !== x.w || mask.c !== 1)
    throw new KernelError(
      'padIslands',
      `mask [${mask.shape.join(', ')}] does not match [1, ${x.h}, ${x.w}, 1]`,
    );
  let values = x;
  let known = mask;
  for (let step = 0; step < rings; step++) {
    const nextValues = Tensor.empty(ctx, x.shape as [number, number, number, number], 'edge_pad.values');
    const nextKnown = Tensor.empty(ctx, [1, x.h, x.w, 1], 'edge_pad.known');
    ctx.dispatch(
      ctx.program('edge-pad', padStep),
      { values, known, out_values: nextValues, out_known: nextKnown, u: { width: x.w, height: x.h } },
      [Math.ceil(x.w / 8), Math.ceil(x.h / 8), 1],
    );
    if (values !== x) values.dispose();
    if (known !== mask) known.dispose();
    [values, known] = [nextValues, nextKnown];
  }
  const out = pushPullInpaint(ctx, values, known);
  if (values !== x) values.dispose();
  if (known !== mask) known.dispose();
  return out;
}

/** CPU reference of padIslands' rings (before push-pull): values [H·W·C], mask [H·W]; returns both grown. */
export function edgePadReference(
  values: Float32Array,
  mask: ArrayLike<number>,
  w: number,
  h: number,
  c: number,
  rings = EDGE_PAD_RINGS,
): { values: Float32Array; known: Uint8Array } {
  let v = Float32Array.from(values);
  let k = Uint8Array.from(mask, (m) => (m > 0.5 ? 1 : 0));
  for (let step = 0; step < rings; step++) {
    const nv = Float32Array.from(v);
    const nk = Uint8Array.from(k);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const i = y * w + x;
        if (k[i]) continue;
        const sum = new Float64Array(c);
        let n = 0;
        for (const [dx, dy] of [
          [-1, 0],
          [1, 0],
          [0, -1],
          [0, 1],
        ]) {
          const [px, py] = [x + dx, y + dy];
          if (px < 0 || py < 0 || px >= w || py >= h || !k[py * w + px]) continue;
          for (let ch = 0; ch < c; ch++) sum[ch] += v[(py * w + px) * c + ch];
          n++;
        }
        if (!n) continue;
        for (let ch = 0; ch < c; ch++) nv[i * c + ch] = sum[ch] / n;
        nk[i] = 1;
      }
    [v, k] = [nv, nk];
  }
  return { values: v, known: k };
}
