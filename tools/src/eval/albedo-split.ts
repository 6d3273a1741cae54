/**
 * Diffuse-albedo error split by texel class, in UV space (the subject and our reconstruction share the
 * head atlas): where the eval's albedo error comes from — de-lit texels, texels carried from their
 * mirror, filled ones, the completion's band — and whether it is a colour cast, a level or texture.
 * Pure functions (tested in Node).
 */
import { ita, labOf, meanDeltaE2000, scaleInvariantRmse, type FloatImage } from './metrics.ts';

export interface ClassSplit {
  name: string;
  texels: number;
  /** Share of the masked texels. */
  share: number;
  /** Mean linear colour, ours and the truth. */
  ours: [number, number, number];
  truth: [number, number, number];
  /** ITA° of the two means. */
  itaOurs: number;
  itaTruth: number;
  /** ln(ours / truth) of the class's mean colour per channel, after the global scale of si-RMSE. */
  logRatio: [number, number, number];
  /** Share of the whole mask's squared si-RMSE error that lies in this class. */
  errorShare: number;
  /** si-RMSE over the class alone with the global scale. */
  rmse: number;
}

export interface AlbedoSplit {
  siRmse: number;
  deltaE: number;
  itaError: number;
  /** The global least-squares scale of ours onto the truth (si-RMSE's s). */
  scale: number;
  classes: ClassSplit[];
}

const image = (size: number, data: Float32Array): FloatImage => ({
  width: size,
  height: size,
  channels: 3,
  data,
});

function meanOver(data: Float32Array, pick: (i: number) => boolean, n: number): [number, number, number] {
  const s = [0, 0, 0];
  let k = 0;
  for (let i = 0; i < n; i++) {
    if (!pick(i)) continue;
    for (let c = 0; c < 3; c++) s[c] += data[3 * i + c];
    k++;
  }
  return k ? [s[0] / k, s[1] / k, s[2] / k] : [NaN, NaN, NaN];
}

/**
 * ours, truth: linear RGB [S·S·3]; mask [S·S] (> 0.5 counts); classOf [S·S] indexes `names` (texels
 * whose class is ≥ names.length are left out of the per-class rows but count in the totals).
 */
export function splitAlbedoError(
  size: number,
  ours: Float32Array,
  truth: Float32Array,
  mask: ArrayLike<number>,
  classOf: ArrayLike<number>,
  names: readonly string[],
): AlbedoSplit {
  const n = size * size;
  const inMask = (i: number) => mask[i] > 0.5;
  let xy = 0;
  let xx = 0;
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (!inMask(i)) continue;
    count++;
    for (let c = 0; c < 3; c++) {
      xy += ours[3 * i + c] * truth[3 * i + c];
      xx += ours[3 * i + c] ** 2;
    }
  }
  const scale = xx > 0 ? xy / xx : 0;
  const sq = new Float64Array(names.length);
  let total = 0;
  for (let i = 0; i < n; i++) {
    if (!inMask(i)) continue;
    let e = 0;
    for (let c = 0; c < 3; c++) e += (scale * ours[3 * i + c] - truth[3 * i + c]) ** 2;
    total += e;
    if (classOf[i] < names.length) sq[classOf[i]] += e;
  }
  const meanOurs = meanOver(ours, inMask, n);
  const meanTruth = meanOver(truth, inMask, n);
  const classes = names.map((name, k) => {
    const pick = (i: number) => inMask(i) && classOf[i] === k;
    let texels = 0;
    for (let i = 0; i < n; i++) if (pick(i)) texels++;
    const o = meanOver(ours, pick, n);
    const t = meanOver(truth, pick, n);
    return {
      name,
      texels,
      share: count ? texels / count : 0,
      ours: o,
      truth: t,
      itaOurs: ita(labOf(o)),
      itaTruth: ita(labOf(t)),
      logRatio: [0, 1, 2].map((c) => Math.log((scale * o[c]) / t[c])) as [number, number, number],
      errorShare: total > 0 ? sq[k] / total : 0,
      rmse: texels ? Math.sqrt(sq[k] / (3 * texels)) : NaN,
    };
  });
  return {
    siRmse: scaleInvariantRmse(image(size, ours), image(size, truth), mask),
    deltaE: meanDeltaE2000(image(size, ours), image(size, truth), mask),
    itaError: ita(labOf(meanOurs)) - ita(labOf(meanTruth)),
    scale,
    classes,
  };
}
