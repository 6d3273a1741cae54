// Texels where something other than skin (hair, clothing, glasses, a hat) covers a part of the
// surface that should be bare skin. Pure functions on read-back arrays.
import { srgbToLinear } from '../fit/lighting.ts';
import { NormalEquations } from '../math/linalg.ts';

export interface OccluderOptions {
  /** Normalised colour distance above which a texel is not skin (default 3 robust σ). */
  threshold?: number;
  /** Texels also marked when they touch a marked texel and exceed this share of the threshold (default 0.4). */
  grow?: number;
  /** Rounds of that growth (default 2: strand edges are a texel or two wide at the default size). */
  growSteps?: number;
}

/** Robust spread floors: the measured core skin can be very uniform, and shading is never exact. */
const FLOOR = { chroma: 0.05, luminance: 0.3 };

function median(values: Float64Array): number {
  const s = Float64Array.from(values).sort();
  return s.length ? s[s.length >> 1] : 0;
}

/**
 * Marks the texels of `candidate` (bare-skin parts of the layout: forehead, scalp, ears, neck …)
 * whose colour is unlike the surface's own core skin (`reference`: the cheeks, nose and chin, which
 * hair and clothes rarely cover). Colour is compared after dividing out the shading: a first-order
 * model S(n) = a + b·n of the reference's linear luminance (order 1, not 2: the candidates' normals —
 * scalp, neck, ears — lie outside the reference's, and a linear model extrapolates there without
 * swinging), so a shadowed cheek and a lit one read the same.
 * Features: log(r/g) and log(b/g) of the de-shaded linear colour (chromaticity: hair, fabric and skin
 * differ there even at equal brightness) and its log luminance (dark hair on light skin, white or
 * black clothing); each is normalised by the reference's median absolute deviation (× 1.4826, with a
 * floor), and a texel whose distance exceeds `threshold` is an occluder. Texels next to one that
 * exceed `grow`·threshold are marked too, `growSteps` times (strand edges mix hair and skin). size: the S of the S×S
 * layout; observed sRGB [N·3]; normals model space [N·3]; reference and candidate weights [N].
 */
export function occludedTexels(
  size: number,
  observed: ArrayLike<number>,
  normals: ArrayLike<number>,
  reference: ArrayLike<number>,
  candidate: ArrayLike<number>,
  opts: OccluderOptions = {},
): Uint8Array {
  const n = size * size;
  const out = new Uint8Array(n);
  let refCount = 0;
  for (let i = 0; i < n; i++) if (reference[i] > 0) refCount++;
  if (refCount < 64) return out;
  const luminance = (i: number) =>
    0.2126 * srgbToLinear(observed[3 * i]) +
    0.7152 * srgbToLinear(observed[3 * i + 1]) +
    0.0722 * srgbToLinear(observed[3 * i + 2]);
  const eq = new NormalEquations(4);
  const row = (i: number) => [1, normals[3 * i], normals[3 * i + 1], normals[3 * i + 2]];
  for (let i = 0; i < n; i++) if (reference[i] > 0) eq.add(row(i), [luminance(i)]);
  // A small ridge steadies directions the reference normals barely span.
  const [model] = eq.solve(1e-3 * eq.ata[0]);
  const feature = new Float64Array(n * 3);
  const valid = new Uint8Array(n);
  const shading = new Float64Array(n);
  let meanShading = 0;
  for (let i = 0; i < n; i++) {
    if (!(reference[i] > 0 || candidate[i] > 0)) continue;
    const r = row(i);
    shading[i] = r.reduce((sum, x, k) => sum + x * model[k], 0);
    if (reference[i] > 0) meanShading += shading[i] / refCount;
  }
  for (let i = 0; i < n; i++) {
    if (!(reference[i] > 0 || candidate[i] > 0)) continue;
    // Clamped so that deep shadow and grazing normals do not blow the colour up.
    const s = Math.min(4 * meanShading, Math.max(meanShading / 4, shading[i]));
    const [r, g, b] = [0, 1, 2].map((c) => Math.max(1e-4, srgbToLinear(observed[3 * i + c]) / s));
    feature[3 * i] = Math.log(r / g);
    feature[3 * i + 1] = Math.log(b / g);
    feature[3 * i + 2] = Math.log(0.2126 * r + 0.7152 * g + 0.0722 * b);
    valid[i] = 1;
  }
  const centre = [0, 0, 0];
  const spread = [0, 0, 0];
  for (let k = 0; k < 3; k++) {
    const values = new Float64Array(refCount);
    let j = 0;
    for (let i = 0; i < n; i++) if (reference[i] > 0) values[j++] = feature[3 * i + k];
    centre[k] = median(values);
    const dev = values.map((v) => Math.abs(v - centre[k]));
    spread[k] = Math.max(k < 2 ? FLOOR.chroma : FLOOR.luminance, 1.4826 * median(dev));
  }
  const threshold = opts.threshold ?? 3;
  const distance = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (!(candidate[i] > 0) || !valid[i]) continue;
    let d = 0;
    for (let k = 0; k < 3; k++) d += ((feature[3 * i + k] - centre[k]) / spread[k]) ** 2;
    distance[i] = Math.sqrt(d);
    if (distance[i] > threshold) out[i] = 1;
  }
  const weak = (opts.grow ?? 0.4) * threshold;
  let marked = out;
  for (let step = 0; step < (opts.growSteps ?? 2); step++) {
    const grown = Uint8Array.from(marked);
    for (let y = 0; y < size; y++)
      for (let x = 0; x < size; x++) {
        const i = y * size + x;
        if (marked[i] || distance[i] <= weak) continue;
        const touches =
          (x > 0 && marked[i - 1]) ||
          (x + 1 < size && marked[i + 1]) ||
          (y > 0 && marked[i - size]) ||
          (y + 1 < size && marked[i + size]);
        if (touches) grown[i] = 1;
      }
    marked = grown;
  }
  return marked;
}
