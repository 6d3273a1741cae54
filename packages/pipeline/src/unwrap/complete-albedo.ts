// Completion that keeps texture: symmetry blended in the gradient domain, exemplar synthesis for the
// rest, both on the GPU (@avatarme/kernels poissonBlend and patchMatchFill).
import {
  patchMatchFill,
  poissonBlend,
  POISSON_LABEL,
  pushPullInpaint,
  Tensor,
  type KernelContext,
  type PatchMatchOptions,
} from '@avatarme/kernels';

/** Fewer seen texels than this in a class's exemplar: it draws from the class the photo shows most. */
const MIN_EXEMPLAR_TEXELS = 256;

/**
 * Exemplar classes: which texels may be synthesised from which. A texel of class k is synthesised
 * from seen texels of class `drawsFrom[k]` (the scalp has no skin of its own in a photo: it draws
 * from the forehead); drawsFrom 0: never synthesised (keeps its start). Class 0 = outside the layout.
 */
export interface ExemplarClasses {
  /** Class per texel [S·S]. */
  classOf: Uint8Array;
  /** Class that each class draws from (index = class; missing: itself; 0: not synthesised). */
  drawsFrom: number[];
  /**
   * Class drawn from when `drawsFrom`'s has too few seen texels (index = class; missing: the class the
   * photo shows most; 0: keep the start): the lips keep their start, completed from the lips, rather
   * than take the cheeks' skin.
   */
  fallback?: number[];
  names: string[];
}

export interface CompleteAlbedoInput {
  /** Side S of the square maps. */
  size: number;
  /** Colour per texel, meaningful where observed [S·S·3] (de-lit albedo, or the texture itself). */
  albedo: Float32Array;
  /** > 0 on texels the photo shows [S·S]. */
  observedMask: ArrayLike<number>;
  /** Each texel's mirror texel (y·S + x), −1 where it has none [S·S] (mirrorTexels). */
  mirror: Int32Array;
  regions: ExemplarClasses;
  /**
   * Where synthesis starts on the texels neither seen nor mirrored (a region's flat fill, a push-pull
   * of the known colours …) [S·S·3]; default: push-pull of the seen and mirrored texels.
   */
  initial?: Float32Array;
  /** PatchMatch settings (default: patchMatchFill's, with the last vote 'centre' to keep the finest texture). */
  patchMatch?: PatchMatchOptions;
  /** Gauss-Seidel sweeps per level of both Poisson solves (default 24). */
  poissonIterations?: number;
}

export interface CompletedAlbedo {
  /** Completed colour [S·S·3]: observed texels unchanged; outside the layout, the start's padding. */
  albedo: Float32Array;
  /** Per texel: 0 outside, 1 observed, 2 mirrored (Poisson-blended), 3 synthesised, 4 kept its start (a class not synthesised) [S·S]. */
  source: Uint8Array;
  stats: { observed: number; mirrored: number; synthesised: number; kept: number; unmatched: number };
}

/** Texel of each texel's mirror image from the interpolated mirror UVs (v down) [S·S·2]; −1 outside the layout. */
export function mirrorTexels(size: number, mirrorUv: Float32Array, inLayout: ArrayLike<number>): Int32Array {
  const out = new Int32Array(size * size).fill(-1);
  for (let i = 0; i < size * size; i++) {
    if (!(inLayout[i] > 0)) continue;
    const x = Math.floor(mirrorUv[2 * i] * size);
    const y = Math.floor(mirrorUv[2 * i + 1] * size);
    if (x < 0 || y < 0 || x >= size || y >= size) continue;
    const j = y * size + x;
    if (j !== i && inLayout[j] > 0) out[i] = j;
  }
  return out;
}

/** exemplarClasses' classes of the skin region; every other region's classes come after them. */
const [FACE, FOREHEAD, SCALP, NECK, LIPS] = [1, 2, 3, 4, 5];

/** Classes 1 to SKIN_CLASSES of exemplarClasses are the skin region's: face, forehead, scalp, neck, lips. */
export const SKIN_CLASSES = LIPS;

/**
 * Exemplar classes of a head or face layout from its completion regions and model-space geometry
 * (y up, z towards the viewer): skin splits at the band of core skin the photo shows (bare cheek,
 * nose and chin; skinConfidence > 0) into forehead (above it, facing forward), scalp (above it,
 * facing away or sideways; draws from the forehead), face (the band: cheek from cheek) and neck
 * (below it; draws from the face); the skin region's `lips` texels (those that read the photo's lips
 * and those completed from them: unwrap.ts, mouth-opening.ts lipCompletion) are a class of their own,
 * drawing from itself and keeping its start when the photo shows too little of it. Every other region
 * (sockets, teeth, eyes …) is a class of its own that is not synthesised: an iris is no exemplar for a
 * sclera, nor lips for teeth. regionOf: completion region per texel, 1-based (0 outside); skinRegion:
 * the region id of skin.
 */
export function exemplarClasses(
  size: number,
  regionOf: Uint8Array,
  skinRegion: number,
  positionMap: Float32Array,
  normalMap: Float32Array,
  skinConfidence: ArrayLike<number>,
  lips?: ArrayLike<number>,
): ExemplarClasses {
  const names = ['outside', 'face', 'forehead', 'scalp', 'neck', 'lips'];
  const drawsFrom = [0, FACE, FOREHEAD, FOREHEAD, FACE, LIPS];
  const fallback: number[] = [];
  fallback[LIPS] = 0;
  let [top, bottom] = [-Infinity, Infinity];
  for (let i = 0; i < size * size; i++)
    if (skinConfidence[i] > 0) {
      top = Math.max(top, positionMap[3 * i + 1]);
      bottom = Math.min(bottom, positionMap[3 * i + 1]);
    }
  const classOf = new Uint8Array(size * size);
  const other = new Map<number, number>();
  for (let i = 0; i < size * size; i++) {
    const r = regionOf[i];
    if (r === 0) continue;
    if (r !== skinRegion) {
      let k = other.get(r);
      if (k === undefined) {
        k = names.length;
        other.set(r, k);
        names.push(`region ${r}`);
        drawsFrom.push(0);
      }
      classOf[i] = k;
      continue;
    }
    const y = positionMap[3 * i + 1];
    if (lips?.[i]) classOf[i] = LIPS;
    else if (!(top > bottom)) classOf[i] = FACE;
    else if (y > top) classOf[i] = normalMap[3 * i + 2] > 0.5 ? FOREHEAD : SCALP;
    else if (y < bottom) classOf[i] = NECK;
    else classOf[i] = FACE;
  }
  return { classOf, drawsFrom, fallback, names };
}

/**
 * 1 on the scalp's texels (exemplarClasses' 'scalp': skin above the band of core skin the photo
 * shows, facing away or sideways), where hair is likelier than bare skin [S·S].
 */
export function scalpTexels(
  size: number,
  regionOf: Uint8Array,
  skinRegion: number,
  positionMap: Float32Array,
  normalMap: Float32Array,
  skinConfidence: ArrayLike<number>,
): Uint8Array {
  const { classOf, names } = exemplarClasses(
    size,
    regionOf,
    skinRegion,
    positionMap,
    normalMap,
    skinConfidence,
  );
  const scalp = names.indexOf('scalp');
  return Uint8Array.from(classOf, (k) => (k === scalp ? 1 : 0));
}

/**
 * Completes a colour map of a UV layout keeping its texture:
 * 1. symmetry: an unseen texel whose mirror texel was seen takes its colour, then those texels are
 *    Poisson-blended (poissonBlend: the mirrored colours' gradients, Dirichlet on the seen texels),
 *    so the light or tone difference between the two sides leaves no seam;
 * 2. the rest is synthesised by region-constrained PatchMatch (patchMatchFill) from seen texels of
 *    the class each texel draws from, starting from `initial`;
 * 3. the synthesised texels are Poisson-blended into the seen and mirrored ones the same way.
 * Texels outside the layout are never read (zero-flux boundaries; no source patch crosses them);
 * a class with no seen patch keeps `initial`.
 */
export async function completeAlbedo(
  ctx: KernelContext,
  input: CompleteAlbedoInput,
): Promise<CompletedAlbedo> {
  const { size, albedo, observedMask, mirror, regions } = input;
  const texels = size * size;
  for (const [name, arr, per] of [
    ['albedo', albedo, 3],
    ['observedMask', observedMask, 1],
    ['mirror', mirror, 1],
    ['regions.classOf', regions.classOf, 1],
  ] as const)
    if (arr.length !== texels * per)
      throw new RangeError(
        `completeAlbedo: ${name} has ${arr.length} values, expected ${texels * per} (${size}² × ${per})`,
      );
  const source = new Uint8Array(texels);
  const known = new Float32Array(texels * 3);
  const mirrorGuide = new Float32Array(texels * 3);
  const labels = new Float32Array(texels);
  for (let i = 0; i < texels; i++) {
    if (regions.classOf[i] === 0) continue;
    if (observedMask[i] > 0) {
      source[i] = 1;
      labels[i] = POISSON_LABEL.known;
      known.set(albedo.subarray(3 * i, 3 * i + 3), 3 * i);
    } else if (mirror[i] >= 0 && observedMask[mirror[i]] > 0) {
      source[i] = 2;
      labels[i] = POISSON_LABEL.unknown;
      mirrorGuide.set(albedo.subarray(3 * mirror[i], 3 * mirror[i] + 3), 3 * i);
    } else source[i] = 3;
  }
  const shape3: [number, number, number, number] = [1, size, size, 3];
  const shape1: [number, number, number, number] = [1, size, size, 1];
  const owned: Tensor[] = [];
  const own = (t: Tensor) => (owned.push(t), t);
  const poissonOpts = { iterations: input.poissonIterations ?? 24 };
  try {
    const targetT = own(Tensor.fromArray(ctx, known, shape3, 'completeAlbedo.observed'));
    const mirroredT = own(Tensor.fromArray(ctx, mirrorGuide, shape3, 'completeAlbedo.mirrored'));
    const labelT = own(Tensor.fromArray(ctx, labels, shape1, 'completeAlbedo.mirrorLabels'));
    // The guide of each Poisson blend is the new colours extended by push-pull over the known side:
    // its gradients across the border then hold only the new texels' own texture, not their level
    // difference with the known side. That difference becomes the correction's Dirichlet data, which
    // the solve spreads smoothly over the hole (seamless cloning, not a copy of the step).
    const mirrorOnly = Float32Array.from(source, (s) => (s === 2 ? 1 : 0));
    const mirrorOnlyT = own(Tensor.fromArray(ctx, mirrorOnly, shape1, 'completeAlbedo.mirrorMask'));
    const symmetric = own(
      poissonBlend(ctx, targetT, own(pushPullInpaint(ctx, mirroredT, mirrorOnlyT)), labelT, poissonOpts),
    );

    const knownMask = Float32Array.from(source, (s) => (s === 1 || s === 2 ? 1 : 0));
    const knownT = own(Tensor.fromArray(ctx, knownMask, shape1, 'completeAlbedo.known'));
    let start: Tensor;
    if (input.initial) {
      if (input.initial.length !== texels * 3)
        throw new RangeError(
          `completeAlbedo: initial has ${input.initial.length} values, expected ${texels * 3}`,
        );
      const sym = await symmetric.read();
      const merged = Float32Array.from(input.initial);
      for (let i = 0; i < texels; i++)
        if (knownMask[i] > 0) merged.set(sym.subarray(3 * i, 3 * i + 3), 3 * i);
      start = own(Tensor.fromArray(ctx, merged, shape3, 'completeAlbedo.start'));
    } else start = own(pushPullInpaint(ctx, symmetric, knownT));

    // Sources must be seen texels (a mirrored one is a copy, not evidence); targets the rest. A
    // class whose exemplar the photo barely shows (a forehead under a fringe) draws from the class
    // the photo shows most instead.
    const seenPerClass = new Map<number, number>();
    for (let i = 0; i < texels; i++)
      if (source[i] === 1)
        seenPerClass.set(regions.classOf[i], (seenPerClass.get(regions.classOf[i]) ?? 0) + 1);
    let mostSeen = 0;
    for (const [k, n] of seenPerClass)
      if ((regions.drawsFrom[k] ?? k) > 0 && n > (seenPerClass.get(mostSeen) ?? 0)) mostSeen = k;
    const drawFrom = (k: number) => {
      const want = regions.drawsFrom[k] ?? k;
      if (want === 0 || (seenPerClass.get(want) ?? 0) >= MIN_EXEMPLAR_TEXELS) return want;
      return regions.fallback?.[k] ?? mostSeen;
    };
    const classes = new Float32Array(texels * 2);
    for (let i = 0; i < texels; i++) {
      const k = regions.classOf[i];
      if (k === 0) continue;
      if (source[i] === 3) classes[2 * i] = drawFrom(k);
      if (source[i] === 3 && classes[2 * i] === 0) source[i] = 4;
      if (source[i] === 1) classes[2 * i + 1] = k;
    }
    const seenMask = Float32Array.from(source, (s) => (s === 3 ? 0 : 1));
    const seenT = own(Tensor.fromArray(ctx, seenMask, shape1, 'completeAlbedo.seen'));
    const classT = own(Tensor.fromArray(ctx, classes, [1, size, size, 2], 'completeAlbedo.classes'));
    const synth = patchMatchFill(ctx, start, seenT, classT, { finalVote: 'centre', ...input.patchMatch });
    own(synth.image);
    own(synth.nnf);

    const finalLabels = Float32Array.from(source, (s) =>
      s === 0 ? POISSON_LABEL.outside : s === 3 ? POISSON_LABEL.unknown : POISSON_LABEL.known,
    );
    const finalLabelT = own(Tensor.fromArray(ctx, finalLabels, shape1, 'completeAlbedo.labels'));
    const synthOnlyT = own(
      Tensor.fromArray(
        ctx,
        Float32Array.from(source, (s) => (s === 3 ? 1 : 0)),
        shape1,
        'completeAlbedo.synthMask',
      ),
    );
    const guide = own(pushPullInpaint(ctx, synth.image, synthOnlyT));
    const blended = own(poissonBlend(ctx, start, guide, finalLabelT, poissonOpts));
    const [out, nnf] = await Promise.all([blended.read(), synth.nnf.read()]);
    let unmatched = 0;
    for (let i = 0; i < texels; i++) {
      if (source[i] === 1) out.set(albedo.subarray(3 * i, 3 * i + 3), 3 * i);
      if (source[i] === 3 && nnf[2 * i] < 0) unmatched++;
      for (let c = 0; c < 3; c++) out[3 * i + c] = Math.min(1, Math.max(0, out[3 * i + c]));
    }
    const count = (k: number) => source.reduce((a, s) => a + (s === k ? 1 : 0), 0);
    return {
      albedo: out,
      source,
      stats: { observed: count(1), mirrored: count(2), synthesised: count(3), kept: count(4), unmatched },
    };
  } finally {
    for (const t of owned) t.dispose();
  }
}
