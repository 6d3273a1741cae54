// Texels where something other than skin (hair, clothing, glasses, a hat) covers a part of the
// surface that should be bare skin. Pure functions on read-back arrays.
import { luminance, srgbToLinear } from '../math/colour.ts';
import { NormalEquations } from '../math/linalg.ts';

export interface OccluderOptions {
  /** Normalised colour distance above which a texel is not skin (default 3 robust σ). */
  threshold?: number;
  /** Texels also marked when they touch a marked texel and exceed this share of the threshold (default 0.4). */
  grow?: number;
  /** Rounds of that growth (default 2: strand edges are a texel or two wide at the default size). */
  growSteps?: number;
  /**
   * 1 on texels where hair is far likelier than bare skin a priori (the scalp): there a texel is an
   * occluder at a lower distance, the threshold less the log of `hairOdds` (hairProneThreshold).
   */
  hairProne?: ArrayLike<number>;
  /** Prior odds of hair against bare skin on `hairProne` texels (default HAIR_ODDS). */
  hairOdds?: number;
  /**
   * 1 on texels outside `candidate` that marking may only spread into, never start in: the band just
   * above the brows, kept out of the candidates because shadow under the brow ridge and the brows'
   * own stray hairs there read as occluders on bare foreheads, but where a fringe that covers the
   * forehead ends. Hair connected to hair above it is fringe; brow hair is not connected to any.
   */
  growInto?: ArrayLike<number>;
  /** Rounds of growth into `growInto` (default 0): how deep, in texels, a fringe may reach into it. */
  growIntoSteps?: number;
  /**
   * Width in texels of an occluder's soft edge (default 2): rounds of occluderEdges, which marks the
   * texels along a marked region that pass as skin but mix in its colour (hair's blur and shadow).
   */
  edgeSteps?: number;
}

/**
 * Prior odds of hair over bare skin on the scalp, against even odds elsewhere: an assumption (most
 * people photographed have hair there; bald scalps are the exception), not a measurement.
 */
export const HAIR_ODDS = 10;

/**
 * The distance threshold under prior odds `odds` of an occluder. Skin's colour distance d is a
 * Gaussian's Mahalanobis distance, an occluder's colour about uniform over the features, so "occluder"
 * wins where d² exceeds a constant less 2 ln(odds); at even odds the constant is threshold². Marking
 * bald skin as unseen costs little (it is completed with the skin's own tone); keeping light hair as
 * skin costs its colour on the scalp and a step where the completion meets it.
 */
export function hairProneThreshold(threshold: number, odds: number): number {
  return Math.sqrt(Math.max(0, threshold * threshold - 2 * Math.log(odds)));
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
 * exceed `grow`·threshold are marked too, `growSteps` times (strand edges mix hair and skin). On
 * `hairProne` texels (the scalp) the threshold is lower (hairProneThreshold): light hair there is
 * within 3 σ of skin and would be kept as skin. size: the S of the S×S
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
  // The band texels growth may reach: in growInto, not candidates.
  const intoMask = new Uint8Array(n);
  if (opts.growInto !== undefined)
    for (let i = 0; i < n; i++) intoMask[i] = opts.growInto[i] > 0 && !(candidate[i] > 0) ? 1 : 0;
  // The texels looked at (the reference skin, the candidates, the band), and their linear colour,
  // decoded once.
  const looked = Uint8Array.from(intoMask, (v, i) => (reference[i] > 0 || candidate[i] > 0 || v ? 1 : 0));
  const linear = new Float64Array(n * 3);
  for (let i = 0; i < n; i++) {
    if (!looked[i]) continue;
    for (let k = 0; k < 3; k++) linear[3 * i + k] = srgbToLinear(observed[3 * i + k]);
  }
  const eq = new NormalEquations(4);
  const row = new Float64Array(4);
  row[0] = 1;
  const lum = new Float64Array(1);
  for (let i = 0; i < n; i++) {
    if (!(reference[i] > 0)) continue;
    row[1] = normals[3 * i];
    row[2] = normals[3 * i + 1];
    row[3] = normals[3 * i + 2];
    lum[0] = luminance(linear[3 * i], linear[3 * i + 1], linear[3 * i + 2]);
    eq.add(row, lum);
  }
  // A small ridge steadies directions the reference normals barely span.
  const [model] = eq.solve(1e-3 * eq.ata[0]);
  const feature = new Float64Array(n * 3);
  const valid = new Uint8Array(n);
  const shading = new Float64Array(n);
  let meanShading = 0;
  const [m0, m1, m2, m3] = model;
  for (let i = 0; i < n; i++) {
    if (!looked[i]) continue;
    // The sum in the order of the row's terms, from 0.
    shading[i] = 0 + 1 * m0 + normals[3 * i] * m1 + normals[3 * i + 1] * m2 + normals[3 * i + 2] * m3;
    if (reference[i] > 0) meanShading += shading[i] / refCount;
  }
  for (let i = 0; i < n; i++) {
    if (!looked[i]) continue;
    // Clamped so that deep shadow and grazing normals do not blow the colour up.
    const s = Math.min(4 * meanShading, Math.max(meanShading / 4, shading[i]));
    const r = Math.max(1e-4, linear[3 * i] / s);
    const g = Math.max(1e-4, linear[3 * i + 1] / s);
    const b = Math.max(1e-4, linear[3 * i + 2] / s);
    feature[3 * i] = Math.log(r / g);
    feature[3 * i + 1] = Math.log(b / g);
    feature[3 * i + 2] = Math.log(luminance(r, g, b));
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
  const prone = hairProneThreshold(threshold, opts.hairOdds ?? HAIR_ODDS);
  // Distances in units of each texel's own threshold.
  const distance = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (!(candidate[i] > 0 || intoMask[i]) || !valid[i]) continue;
    let d = 0;
    for (let k = 0; k < 3; k++) d += ((feature[3 * i + k] - centre[k]) / spread[k]) ** 2;
    distance[i] = Math.sqrt(d) / (opts.hairProne?.[i] ? prone : threshold);
    if (distance[i] > 1 && candidate[i] > 0) out[i] = 1;
  }
  const weak = opts.grow ?? 0.4;
  let marked: Uint8Array = out;
  const [candidateSteps, intoSteps] = [opts.growSteps ?? 2, opts.growIntoSteps ?? 0];
  for (let step = 0; step < Math.max(candidateSteps, intoSteps); step++) {
    const grown = Uint8Array.from(marked);
    for (let y = 0; y < size; y++)
      for (let x = 0; x < size; x++) {
        const i = y * size + x;
        if (marked[i] || distance[i] <= weak) continue;
        if (step >= (intoMask[i] ? intoSteps : candidateSteps)) continue;
        // Into the band only downwards (v down in the layout), as strands hang from a fringe, and
        // sideways from band texels so reached: not from hair at the temples into the brows' tails.
        if (intoMask[i]) {
          if (
            (x > 0 && marked[i - 1] && intoMask[i - 1]) ||
            (x + 1 < size && marked[i + 1] && intoMask[i + 1])
          )
            grown[i] = 1;
          else if (
            y > 0 &&
            (marked[i - size] || (x > 0 && marked[i - size - 1]) || (x + 1 < size && marked[i - size + 1]))
          )
            grown[i] = 1;
          continue;
        }
        const touches =
          (x > 0 && marked[i - 1]) ||
          (x + 1 < size && marked[i + 1]) ||
          (y > 0 && marked[i - size]) ||
          (y + 1 < size && marked[i + size]);
        if (touches) grown[i] = 1;
      }
    marked = grown;
  }
  if (opts.growInto && intoSteps > 0)
    marked = followDarkStrands(size, marked, distance, (i) => intoMask[i] === 1 && valid[i] > 0);
  const normalised = new Float64Array(n * 3);
  for (let i = 0; i < n; i++)
    for (let k = 0; k < 3; k++) normalised[3 * i + k] = (feature[3 * i + k] - centre[k]) / spread[k];
  const open = new Uint8Array(n);
  for (let i = 0; i < n; i++) open[i] = (candidate[i] > 0 || intoMask[i]) && distance[i] <= 1 ? 1 : 0;
  return occluderEdges(size, marked, normalised, valid, open, opts.edgeSteps ?? 2);
}

/**
 * Least mixing fraction of an occluder's colour (along the line from the skin beside a texel to the
 * occluder's) at which a texel on the occluder's edge is marked. The sample's fringe left a row of
 * seen texels 0.15–0.4 of the way to the hair (de-lit, 5–9 L* below the forehead beneath), a broken
 * brown line once the hair above was completed as skin; the skin further in sits within ±0.1.
 */
export const EDGE_MIX = 0.15;

/**
 * Least distance between an occluder's colour and the skin beside it (robust σ of the core skin, the
 * features' units) for its edge to be looked for: a mark just past the threshold (a crease's shadow)
 * is too close to skin for a mixing fraction to mean anything, and its edge would eat the crease.
 */
export const EDGE_CONTRAST = 4;

const DIRECTIONS = [
  [1, 0],
  [-1, 0],
  [0, 1],
  [0, -1],
] as const;

/**
 * The soft edge of marked regions: an occluder's border in the photo is a blur of hair and skin (and
 * the hair's shadow on the skin), whose texels pass as skin in colour distance but, once the region is
 * completed as skin, are a darker line along it. For `steps` rounds, a texel that may be an occluder
 * (`open`: a candidate, or a reachable band texel, that passes as skin) and touches a marked texel is
 * marked when its colour is at least EDGE_MIX of the way from the skin further in (the mean of the
 * texels `steps` and `steps` + 1 texels away from the marked one, on the line through it) to the
 * occluder's (the median of the first marks within `steps` + 2 texels), and that occluder is at
 * least EDGE_CONTRAST from that skin. Skin further in is what keeps brows and shading: a brow under a
 * fringe is as dark two texels in as at its top, and a shading gradient changes little over two texels.
 * z: features in units of the core skin's robust σ [S·S·3]; valid: texels that have them; open: 1 where
 * a texel may be an occluder [S·S].
 */
function occluderEdges(
  size: number,
  marked: Uint8Array,
  z: Float64Array,
  valid: Uint8Array,
  open: Uint8Array,
  steps: number,
): Uint8Array {
  const reach = steps + 2;
  const window = [0, 1, 2].map(() => new Float64Array((2 * reach + 1) ** 2));
  /** Writes the occluder's colour near (x, y) to `occluder`. */
  const occluderColour = (x: number, y: number) => {
    let count = 0;
    for (let v = Math.max(0, y - reach); v <= Math.min(size - 1, y + reach); v++)
      for (let u = Math.max(0, x - reach); u <= Math.min(size - 1, x + reach); u++) {
        const j = v * size + u;
        if (!marked[j] || !valid[j]) continue;
        for (let k = 0; k < 3; k++) window[k][count] = z[3 * j + k];
        count++;
      }
    // Never empty: it holds the first mark the edge grew from, at most `steps` texels away.
    for (let k = 0; k < 3; k++) occluder[k] = median(window[k].subarray(0, count));
  };
  const occluder = new Float64Array(3);
  const inside = (u: number, v: number) => u >= 0 && v >= 0 && u < size && v < size;
  let out = marked;
  for (let step = 0; step < steps; step++) {
    const grown = Uint8Array.from(out);
    for (let y = 0; y < size; y++)
      for (let x = 0; x < size; x++) {
        const i = y * size + x;
        if (out[i] || !open[i]) continue;
        let known = false;
        for (let d = 0; d < DIRECTIONS.length; d++) {
          const dx = DIRECTIONS[d][0];
          const dy = DIRECTIONS[d][1];
          const mx = x - dx;
          const my = y - dy;
          const ax = x + steps * dx;
          const ay = y + steps * dy;
          const bx = x + (steps + 1) * dx;
          const by = y + (steps + 1) * dy;
          if (!inside(mx, my) || !out[my * size + mx] || !inside(ax, ay) || !inside(bx, by)) continue;
          const a = ay * size + ax;
          const b = by * size + bx;
          if (out[a] || out[b] || !valid[a] || !valid[b]) continue;
          if (!known) occluderColour(x, y);
          known = true;
          const s0 = (z[3 * a] + z[3 * b]) / 2;
          const s1 = (z[3 * a + 1] + z[3 * b + 1]) / 2;
          const s2 = (z[3 * a + 2] + z[3 * b + 2]) / 2;
          const t0 = occluder[0] - s0;
          const t1 = occluder[1] - s1;
          const t2 = occluder[2] - s2;
          const contrast = Math.hypot(t0, t1, t2);
          if (contrast < EDGE_CONTRAST) continue;
          // The sum in the order of the components, from 0.
          const mix =
            (0 + t0 * (z[3 * i] - s0) + t1 * (z[3 * i + 1] - s1) + t2 * (z[3 * i + 2] - s2)) / contrast ** 2;
          if (mix >= EDGE_MIX) {
            grown[i] = 1;
            break;
          }
        }
      }
    out = grown;
  }
  return out;
}

/**
 * How much farther from skin than the brows a strand must be to be followed past the reach: a multiple
 * of the band's 90th percentile distance (its brows' hair, with the band's skin below it).
 */
export const STRAND_OVER_BROWS = 2;

/**
 * After the reach-limited growth into the brows' band: a strand far darker than the band's brows (more
 * than STRAND_OVER_BROWS × the 90th percentile of the distances the growth left in the band, and an
 * occluder on its own) is followed to its end, downwards and sideways as before. On the sample a lock
 * of the fringe lies on the left brow's top, 4–5 texels into the band at 256² (distance 4.6–8.6 against
 * the brows' 1–3): kept, it was an orange-brown patch above the brow. A fringe as dark as the brows
 * still stops at the reach (colour cannot tell them apart).
 */
function followDarkStrands(
  size: number,
  marked: Uint8Array,
  distance: Float64Array,
  /** Seen texels of the band. */
  into: (i: number) => boolean,
): Uint8Array {
  const left: number[] = [];
  for (let i = 0; i < size * size; i++) if (into(i) && !marked[i]) left.push(distance[i]);
  if (!left.length) return marked;
  left.sort((a, b) => a - b);
  const strand = Math.max(1, STRAND_OVER_BROWS * left[Math.floor(0.9 * (left.length - 1))]);
  let out = marked;
  for (let changed = true; changed;) {
    changed = false;
    const grown = Uint8Array.from(out);
    for (let y = 1; y < size; y++)
      for (let x = 0; x < size; x++) {
        const i = y * size + x;
        if (out[i] || !into(i) || distance[i] <= strand) continue;
        const above = out[i - size] || (x > 0 && out[i - size - 1]) || (x + 1 < size && out[i - size + 1]);
        const beside = (x > 0 && out[i - 1] && into(i - 1)) || (x + 1 < size && out[i + 1] && into(i + 1));
        if (above || beside) [grown[i], changed] = [1, true];
      }
    out = grown;
  }
  return out;
}
