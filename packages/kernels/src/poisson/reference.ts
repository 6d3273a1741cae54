import { poissonSchedule, type PoissonBlendOptions } from './poisson.ts';

/**
 * CPU reference for poissonBlend on dense arrays (target, guide: [N, H, W, C]; labels: [N, H, W] of
 * 0 outside / 1 known / 2 unknown), in f64, with the same schedule and sweep order as the kernel.
 */
export function poissonBlendReference(
  target: Float32Array,
  guide: Float32Array,
  labels: ArrayLike<number>,
  shape: readonly number[],
  opts: PoissonBlendOptions = {},
): Float32Array {
  const [n, h, w, c] = shape;
  const schedule = poissonSchedule(h, w, opts);
  const out = Float32Array.from(target);
  const per = h * w;
  for (let b = 0; b < n; b++) {
    const d0 = new Float64Array(per * c);
    for (let i = 0; i < per * c; i++) d0[i] = target[b * per * c + i] - guide[b * per * c + i];
    const ds = [d0];
    const ls = [Float64Array.from({ length: per }, (_, i) => labels[b * per + i])];
    for (let k = 1; k < schedule.length; k++) {
      const [ih, iw] = [schedule[k - 1].h, schedule[k - 1].w];
      const [oh, ow] = [schedule[k].h, schedule[k].w];
      const d = new Float64Array(oh * ow * c);
      const l = new Float64Array(oh * ow);
      for (let y = 0; y < oh; y++)
        for (let x = 0; x < ow; x++) {
          let known = 0;
          let unknown = false;
          const sum = new Float64Array(c);
          for (let dy = 0; dy < 2; dy++)
            for (let dx = 0; dx < 2; dx++) {
              const [sy, sx] = [2 * y + dy, 2 * x + dx];
              if (sy >= ih || sx >= iw) continue;
              const lab = ls[k - 1][sy * iw + sx];
              if (lab === 1) {
                known++;
                for (let ch = 0; ch < c; ch++) sum[ch] += ds[k - 1][(sy * iw + sx) * c + ch];
              } else if (lab === 2) unknown = true;
            }
          l[y * ow + x] = known > 0 ? 1 : unknown ? 2 : 0;
          for (let ch = 0; ch < c; ch++) d[(y * ow + x) * c + ch] = known > 0 ? sum[ch] / known : 0;
        }
      ds.push(d);
      ls.push(l);
    }
    for (let k = schedule.length - 1; k >= 0; k--) {
      const { h: lh, w: lw, sweeps } = schedule[k];
      const [d, l] = [ds[k], ls[k]];
      if (k < schedule.length - 1) {
        const cw = schedule[k + 1].w;
        for (let y = 0; y < lh; y++)
          for (let x = 0; x < lw; x++)
            if (l[y * lw + x] === 2)
              for (let ch = 0; ch < c; ch++)
                d[(y * lw + x) * c + ch] = ds[k + 1][((y >> 1) * cw + (x >> 1)) * c + ch];
      }
      for (let s = 0; s < sweeps; s++)
        for (const parity of [0, 1])
          for (let y = 0; y < lh; y++)
            for (let x = 0; x < lw; x++) {
              if ((x + y) % 2 !== parity || l[y * lw + x] !== 2) continue;
              const sum = new Float64Array(c);
              let count = 0;
              for (const [ox, oy] of [
                [0, -1],
                [-1, 0],
                [1, 0],
                [0, 1],
              ]) {
                const [xx, yy] = [x + ox, y + oy];
                if (xx < 0 || yy < 0 || xx >= lw || yy >= lh || l[yy * lw + xx] === 0) continue;
                for (let ch = 0; ch < c; ch++) sum[ch] += d[(yy * lw + xx) * c + ch];
                count++;
              }
              if (count > 0) for (let ch = 0; ch < c; ch++) d[(y * lw + x) * c + ch] = sum[ch] / count;
            }
    }
    for (let i = 0; i < per; i++)
      if (labels[b * per + i] === 2)
        for (let ch = 0; ch < c; ch++)
          out[(b * per + i) * c + ch] = guide[(b * per + i) * c + ch] + ds[0][i * c + ch];
  }
  return out;
}
