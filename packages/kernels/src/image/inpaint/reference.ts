import { pyramidSizes } from './inpaint.ts';

/** CPU reference for pushPullInpaint on dense arrays (x: [N, H, W, C], mask: [N, H, W]), in f64. */
export function pushPullInpaintReference(
  x: Float32Array,
  mask: Float32Array,
  shape: readonly number[],
): Float32Array {
  const [n, h, w, c] = shape;
  const sizes = pyramidSizes(h, w);
  const out = new Float32Array(x.length);
  const per = h * w;
  for (let b = 0; b < n; b++) {
    // Level 0: colours and 0/1 weights.
    const colours: Float64Array[] = [Float64Array.from(x.subarray(b * per * c, (b + 1) * per * c))];
    const weights: Float64Array[] = [
      Float64Array.from(mask.subarray(b * per, (b + 1) * per), (m) => (m > 0.5 ? 1 : 0)),
    ];
    for (let k = 1; k < sizes.length; k++) {
      const [ih, iw] = sizes[k - 1];
      const [oh, ow] = sizes[k];
      const col = new Float64Array(oh * ow * c);
      const wt = new Float64Array(oh * ow);
      for (let y = 0; y < oh; y++)
        for (let xx = 0; xx < ow; xx++) {
          let ws = 0;
          const s = new Float64Array(c);
          for (let dy = 0; dy < 2; dy++)
            for (let dx = 0; dx < 2; dx++) {
              const [sy, sx] = [2 * y + dy, 2 * xx + dx];
              if (sy >= ih || sx >= iw) continue;
              const wc = weights[k - 1][sy * iw + sx];
              ws += wc;
              for (let ch = 0; ch < c; ch++) s[ch] += wc * colours[k - 1][(sy * iw + sx) * c + ch];
            }
          wt[y * ow + xx] = ws;
          for (let ch = 0; ch < c; ch++) col[(y * ow + xx) * c + ch] = ws > 0 ? s[ch] / ws : 0;
        }
      colours.push(col);
      weights.push(wt);
    }
    let coarse = colours[sizes.length - 1];
    for (let k = sizes.length - 2; k >= 0; k--) {
      const [lh, lw] = sizes[k];
      const [ch_, cw] = sizes[k + 1];
      const at = (y: number, xx: number, ch: number) =>
        coarse[(Math.min(Math.max(y, 0), ch_ - 1) * cw + Math.min(Math.max(xx, 0), cw - 1)) * c + ch];
      const filled = new Float64Array(lh * lw * c);
      for (let y = 0; y < lh; y++)
        for (let xx = 0; xx < lw; xx++) {
          const known = weights[k][y * lw + xx] > 0;
          const sy = Math.max(y * 0.5 - 0.25, 0);
          const sx = Math.max(xx * 0.5 - 0.25, 0);
          const [y0, x0] = [Math.floor(sy), Math.floor(sx)];
          const [ty, tx] = [sy - y0, sx - x0];
          for (let ch = 0; ch < c; ch++) {
            const i = (y * lw + xx) * c + ch;
            if (known) filled[i] = colours[k][i];
            else {
              const top = at(y0, x0, ch) * (1 - tx) + at(y0, x0 + 1, ch) * tx;
              const bottom = at(y0 + 1, x0, ch) * (1 - tx) + at(y0 + 1, x0 + 1, ch) * tx;
              filled[i] = top * (1 - ty) + bottom * ty;
            }
          }
        }
      coarse = filled;
    }
    if (sizes.length === 1) coarse = colours[0].map((v) => (weights[0][0] > 0 ? v : 0));
    out.set(coarse, b * per * c);
  }
  return out;
}
