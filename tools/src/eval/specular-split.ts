/**
 * Specular-map error split by texel class, in UV space (the subject and our reconstruction share the
 * head atlas): several candidate maps against the subject's truth, per class (facial region × how the
 * texel was reconstructed). Pure functions (tested in Node).
 */

export interface SpecularClassSplit {
  name: string;
  /** Weight of the class (Σ mask over its texels) and its share of the whole mask's. */
  weight: number;
  share: number;
  /** Weighted mean of the truth, and of each candidate, over the class. */
  truthMean: number;
  means: number[];
  /** Weighted RMSE of each candidate over the class. */
  rmse: number[];
  /** Share of each candidate's total squared error (over the whole mask) that lies in this class. */
  errorShare: number[];
}

export interface SpecularSplit {
  /** Weighted RMSE of each candidate over the whole mask. */
  rmse: number[];
  classes: SpecularClassSplit[];
}

/**
 * candidates, truth: one value per texel [S·S]; weight [S·S] ≥ 0 (0 leaves a texel out); classOf [S·S]
 * indexes `names` (texels whose class is ≥ names.length count in the totals only).
 */
export function splitSpecularError(
  candidates: readonly Float32Array[],
  truth: Float32Array,
  weight: ArrayLike<number>,
  classOf: ArrayLike<number>,
  names: readonly string[],
): SpecularSplit {
  const k = candidates.length;
  const sq = names.map(() => new Float64Array(k));
  const sums = names.map(() => new Float64Array(k));
  const w = new Float64Array(names.length);
  const t = new Float64Array(names.length);
  const total = new Float64Array(k);
  let wTotal = 0;
  for (let i = 0; i < truth.length; i++) {
    const wi = weight[i];
    if (!(wi > 0)) continue;
    wTotal += wi;
    const c = classOf[i];
    const inClass = c < names.length;
    if (inClass) {
      w[c] += wi;
      t[c] += wi * truth[i];
    }
    for (let j = 0; j < k; j++) {
      const e = wi * (candidates[j][i] - truth[i]) ** 2;
      total[j] += e;
      if (inClass) {
        sq[c][j] += e;
        sums[c][j] += wi * candidates[j][i];
      }
    }
  }
  return {
    rmse: Array.from(total, (s) => (wTotal > 0 ? Math.sqrt(s / wTotal) : NaN)),
    classes: names.map((name, c) => ({
      name,
      weight: w[c],
      share: wTotal > 0 ? w[c] / wTotal : 0,
      truthMean: w[c] > 0 ? t[c] / w[c] : NaN,
      means: Array.from(sums[c], (s) => (w[c] > 0 ? s / w[c] : NaN)),
      rmse: Array.from(sq[c], (s) => (w[c] > 0 ? Math.sqrt(s / w[c]) : NaN)),
      errorShare: Array.from(sq[c], (s, j) => (total[j] > 0 ? s / total[j] : 0)),
    })),
  };
}

/**
 * Whether a map's departures from its prior point the truth's way: the weighted Pearson correlation of
 * ln(ours / prior) with ln(truth / prior) over the texels where ours departs from the prior at all
 * (NaN when fewer than 3 do). Positive: the evidence moves the map towards the truth.
 */
export function departureCorrelation(
  ours: Float32Array,
  prior: Float32Array,
  truth: Float32Array,
  weight: ArrayLike<number>,
): { correlation: number; texels: number } {
  const xs: number[] = [];
  const ys: number[] = [];
  const ws: number[] = [];
  for (let i = 0; i < ours.length; i++) {
    if (!(weight[i] > 0) || !(prior[i] > 0) || !(truth[i] > 0) || !(ours[i] > 0)) continue;
    const x = Math.log(ours[i] / prior[i]);
    if (Math.abs(x) < 1e-6) continue;
    xs.push(x);
    ys.push(Math.log(truth[i] / prior[i]));
    ws.push(weight[i]);
  }
  if (xs.length < 3) return { correlation: NaN, texels: xs.length };
  const sw = ws.reduce((a, b) => a + b, 0);
  const mx = xs.reduce((a, x, j) => a + ws[j] * x, 0) / sw;
  const my = ys.reduce((a, y, j) => a + ws[j] * y, 0) / sw;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let j = 0; j < xs.length; j++) {
    sxy += ws[j] * (xs[j] - mx) * (ys[j] - my);
    sxx += ws[j] * (xs[j] - mx) ** 2;
    syy += ws[j] * (ys[j] - my) ** 2;
  }
  return { correlation: sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : NaN, texels: xs.length };
}
