import { planPatchMatch, type PatchMatchOptions } from './patchmatch.ts';

const NONE = -1;

/** The kernel's PCG hash on u32s. */
export function pmHash(v: number): number {
  const s = (Math.imul(v >>> 0, 747796405) + 2891336453) >>> 0;
  const w = Math.imul(((s >>> ((s >>> 28) + 4)) ^ s) >>> 0, 277803737) >>> 0;
  return ((w >>> 22) ^ w) >>> 0;
}

function pmRandom(seed: number, pass: number, p: number, k: number): number {
  return pmHash((seed ^ pmHash((pass ^ pmHash((p ^ pmHash(k)) >>> 0)) >>> 0)) >>> 0);
}

/**
 * CPU reference for patchMatchFill on dense arrays (image [H, W, C]; known [H·W]; classes [H·W·2]),
 * with the same random draws, pass order and integer distances as the kernel; votes in f64.
 * Returns the completed image [H·W·C] and the field's source indices [H·W] (−1 none).
 */
export function patchMatchReference(
  image: Float32Array,
  known: ArrayLike<number>,
  classes: ArrayLike<number>,
  shape: readonly number[],
  opts: PatchMatchOptions = {},
): { image: Float32Array; nnf: Int32Array } {
  const [, h, w, c] = shape;
  const plan = planPatchMatch(h, w, opts);
  const count = h * w;
  const r = plan.radius;
  const quantise = (v: number) =>
    Math.floor(Math.fround(Math.fround(Math.min(Math.max(v, 0), 1) * 255) + 0.5));
  const sourceLevels = Int32Array.from(image, quantise);
  const isTarget = (i: number) => known[i] <= 0.5 && classes[2 * i] > 0;
  const inLayout = (i: number) => known[i] > 0.5 || classes[2 * i] > 0;
  const valid = new Float64Array(count);
  for (let y = r; y + r < h; y++)
    for (let x = r; x + r < w; x++) {
      let whole = classes[2 * (y * w + x) + 1] > 0;
      for (let oy = -r; oy <= r && whole; oy++)
        for (let ox = -r; ox <= r && whole; ox++) whole = known[(y + oy) * w + x + ox] > 0.5;
      if (whole) valid[y * w + x] = classes[2 * (y * w + x) + 1];
    }
  let levels = sourceLevels;
  let knownOnly = true;
  const distance = (px: number, py: number, qx: number, qy: number) => {
    let sum = 0;
    for (let oy = -r; oy <= r; oy++)
      for (let ox = -r; ox <= r; ox++) {
        const [tx, ty] = [px + ox, py + oy];
        if (tx < 0 || ty < 0 || tx >= w || ty >= h) continue;
        const ti = ty * w + tx;
        if (!inLayout(ti) || (knownOnly && !(known[ti] > 0.5))) continue;
        const si = (qy + oy) * w + qx + ox;
        const weight = known[ti] > 0.5 ? 4 : 1;
        for (let ch = 0; ch < c; ch++) sum += weight * (levels[ti * c + ch] - levels[si * c + ch]) ** 2;
      }
    return sum;
  };
  type Best = { index: number; d: number };
  const consider = (px: number, py: number, cls: number, qx: number, qy: number, best: Best) => {
    if (qx < 0 || qy < 0 || qx >= w || qy >= h) return;
    const qi = qy * w + qx;
    if (qi === best.index || valid[qi] !== cls) return;
    const d = distance(px, py, qx, qy);
    if (best.index === NONE || d < best.d) [best.index, best.d] = [qi, d];
  };
  let nnf = new Int32Array(count).fill(NONE);
  for (let i = 0; i < count; i++) {
    if (!isTarget(i)) continue;
    const best = { index: NONE, d: 0 };
    const [px, py] = [i % w, Math.floor(i / w)];
    for (let k = 0; k < plan.tries; k++) {
      const q = pmRandom(plan.seed, 0, i, k) % count;
      consider(px, py, classes[2 * i], q % w, Math.floor(q / w), best);
    }
    nnf[i] = best.index;
  }
  let out = Float32Array.from(image);
  let pass = 1;
  for (let it = 0; it < plan.iterations; it++) {
    knownOnly = it === 0;
    for (const step of plan.steps) {
      const next = Int32Array.from(nnf);
      for (let i = 0; i < count; i++) {
        if (!isTarget(i)) continue;
        const [px, py] = [i % w, Math.floor(i / w)];
        const cls = classes[2 * i];
        const best = { index: NONE, d: 0 };
        if (nnf[i] >= 0)
          [best.index, best.d] = [nnf[i], distance(px, py, nnf[i] % w, Math.floor(nnf[i] / w))];
        for (const [dx, dy] of [
          [-1, 0],
          [1, 0],
          [0, -1],
          [0, 1],
        ]) {
          const [nx, ny] = [px + step * dx, py + step * dy];
          if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
          const s = nnf[ny * w + nx];
          if (s < 0) continue;
          consider(px, py, cls, (s % w) - step * dx, Math.floor(s / w) - step * dy, best);
        }
        let radius = plan.searchRadius;
        let k = 0;
        while (radius >= 1) {
          if (best.index !== NONE) {
            const span = 2 * radius + 1;
            const ox = (pmRandom(plan.seed, pass, i, 2 * k) % span) - radius;
            const oy = (pmRandom(plan.seed, pass, i, 2 * k + 1) % span) - radius;
            consider(px, py, cls, (best.index % w) + ox, Math.floor(best.index / w) + oy, best);
          }
          radius = Math.floor(radius / 2);
          k++;
        }
        const q = pmRandom(plan.seed, pass, i, 2 * k) % count;
        consider(px, py, cls, q % w, Math.floor(q / w), best);
        next[i] = best.index;
      }
      nnf = next;
      pass++;
    }
    const voted = Float32Array.from(image);
    const nextLevels = Int32Array.from(levels);
    const centre = plan.finalVote === 'centre' && it === plan.iterations - 1;
    for (let i = 0; i < count; i++) {
      if (!isTarget(i)) continue;
      if (centre && nnf[i] >= 0) {
        for (let ch = 0; ch < c; ch++) {
          voted[i * c + ch] = image[nnf[i] * c + ch];
          nextLevels[i * c + ch] = sourceLevels[nnf[i] * c + ch];
        }
        continue;
      }
      const [px, py] = [i % w, Math.floor(i / w)];
      const sum = new Float64Array(c);
      const levelSum = new Array<number>(c).fill(0);
      let votes = 0;
      for (let oy = -r; oy <= r; oy++)
        for (let ox = -r; ox <= r; ox++) {
          const [tx, ty] = [px + ox, py + oy];
          if (tx < 0 || ty < 0 || tx >= w || ty >= h) continue;
          const m = nnf[ty * w + tx];
          if (m < 0) continue;
          const si = (Math.floor(m / w) - oy) * w + (m % w) - ox;
          for (let ch = 0; ch < c; ch++) {
            sum[ch] += image[si * c + ch];
            levelSum[ch] += sourceLevels[si * c + ch];
          }
          votes++;
        }
      if (votes === 0) continue;
      for (let ch = 0; ch < c; ch++) {
        voted[i * c + ch] = sum[ch] / votes;
        nextLevels[i * c + ch] = Math.floor((levelSum[ch] + (votes >> 1)) / votes);
      }
    }
    levels = nextLevels;
    out = voted;
  }
  return { image: out, nnf };
}
