import type { KernelContext } from '../core/context.ts';
import { KernelError, fmtShape } from '../core/errors.ts';
import { Tensor } from '../core/tensor.ts';
import commonSource from './common.wgsl?raw';
import paramsSource from './params.wgsl?raw';
import initSource from './init.wgsl?raw';
import quantiseSource from './quantise.wgsl?raw';
import searchSource from './search.wgsl?raw';
import validSource from './valid.wgsl?raw';
import voteSource from './vote.wgsl?raw';

export interface PatchMatchOptions {
  /** Patch half-width: patches are (2r + 1)² (default 2, at most 3). */
  radius?: number;
  /** Rounds of search then vote (default 3). */
  iterations?: number;
  /** Seed of every random draw (default 1): same seed, same result. */
  seed?: number;
  /** Uniform draws per target pixel at initialisation (default 8). */
  tries?: number;
  /** Half-width of the widest random-search window (default: the image's longer side). */
  searchRadius?: number;
  /**
   * The last round's vote: 'mean' (default) averages every covering patch; 'centre' gives each
   * matched target its own match's centre pixel (sharper, seams where the field is incoherent).
   */
  finalVote?: 'mean' | 'centre';
}

/** Resolved options and the propagation steps of each round's search passes. */
export interface PatchMatchPlan {
  radius: number;
  iterations: number;
  seed: number;
  tries: number;
  searchRadius: number;
  finalVote: 'mean' | 'centre';
  /** Jump-flood steps: powers of two from the largest below a quarter of the longer side down to 1, then 1 again. */
  steps: number[];
}

export function planPatchMatch(h: number, w: number, o: PatchMatchOptions = {}): PatchMatchPlan {
  const op = 'patchMatchFill';
  const radius = o.radius ?? 2;
  const iterations = o.iterations ?? 3;
  const tries = o.tries ?? 8;
  const searchRadius = o.searchRadius ?? Math.max(h, w);
  const int = (name: string, v: number, lo: number, hi: number) => {
    if (!Number.isInteger(v) || v < lo || v > hi)
      throw new KernelError(op, `${name} ${v} must be an integer in [${lo}, ${hi}] (image ${h}×${w})`);
  };
  int('radius', radius, 1, 3);
  int('iterations', iterations, 1, 100);
  int('tries', tries, 1, 256);
  int('searchRadius', searchRadius, 0, 1 << 20);
  const steps: number[] = [];
  for (let s = 1; s * 4 <= Math.max(h, w); s *= 2) steps.unshift(s);
  steps.push(1);
  const finalVote = o.finalVote ?? 'mean';
  if (finalVote !== 'mean' && finalVote !== 'centre')
    throw new KernelError(op, `finalVote "${finalVote as string}" must be 'mean' or 'centre'`);
  return { radius, iterations, seed: (o.seed ?? 1) >>> 0, tries, searchRadius, steps, finalVote };
}

/**
 * Exemplar-based completion by PatchMatch (Barnes et al., SIGGRAPH 2009) inside an EM loop of patch
 * matching and voting (Wexler, Shechtman & Irani, "Space-Time Completion of Video", 2007), with region
 * constraints: target pixels (known ≤ 0.5 and classes.x > 0) are synthesised only from source patches
 * whose centre offers the same class (classes.y) and whose whole patch is inside the image and known,
 * so cheek can be drawn from cheek and scalp from forehead. Patches compare in 8-bit levels (values
 * clamped to [0, 1]) with exact integer distances, so runs are reproducible across devices; the
 * result itself is voted from the float image. The first round matches on the known pixels of each
 * target patch only; each round: jump-flood search passes
 * (planPatchMatch.steps), then a vote; the next round matches against the voted image. A target no
 * patch reaches keeps its input value (give it a sensible start, e.g. a Poisson or push-pull fill).
 * image: [1, H, W, C ≤ 4]; known: [1, H, W, 1]; classes: [1, H, W, 2] (draws-from, offers).
 * Returns the completed image and the nearest-neighbour field [1, H, W, 2] (source pixel index
 * y·W + x or −1, patch distance in squared levels); the caller disposes both.
 */
export function patchMatchFill(
  ctx: KernelContext,
  image: Tensor,
  known: Tensor,
  classes: Tensor,
  opts: PatchMatchOptions = {},
): { image: Tensor; nnf: Tensor } {
  const op = 'patchMatchFill';
  for (const t of [image, known, classes]) t.assertAlive(op);
  const [n, h, w, c] = image.shape;
  if (n !== 1 || c > 4)
    throw new KernelError(op, `image ${fmtShape(image.shape)} must be [1, H, W, C] with C ≤ 4`);
  if (h * w >= 1 << 24)
    throw new KernelError(
      op,
      `image ${fmtShape(image.shape)} has ${h * w} pixels, above 2^24 (indices are f32)`,
    );
  for (const [name, t, ch] of [
    ['known', known, 1],
    ['classes', classes, 2],
  ] as const)
    if (t.n !== 1 || t.h !== h || t.w !== w || t.c !== ch)
      throw new KernelError(
        op,
        `${name} ${fmtShape(t.shape)} must be [1, ${h}, ${w}, ${ch}] for image ${fmtShape(image.shape)}`,
      );
  const plan = planPatchMatch(h, w, opts);
  const includes = { 'patchmatch-common': commonSource, 'patchmatch-params': paramsSource };
  const count = h * w;
  const base = {
    h,
    w,
    radius: plan.radius,
    seed: plan.seed,
    pass_index: 0,
    step: 1,
    tries: plan.tries,
    search_radius: plan.searchRadius,
    count,
    known_only: 1,
    centre_vote: 0,
  };
  const sourceLevels = Tensor.empty(ctx, image.shape, `${op}.levels`);
  ctx.dispatchFlat(
    ctx.program(`${op}.quantise`, quantiseSource),
    { image, levels_out: sourceLevels, u: { count } },
    count,
  );
  const valid = Tensor.empty(ctx, [1, h, w, 1], `${op}.valid`);
  ctx.dispatchFlat(
    ctx.program(`${op}.valid`, validSource),
    { known, classes, valid_out: valid, u: { h, w, radius: plan.radius, count } },
    count,
  );
  let nnf = Tensor.empty(ctx, [1, h, w, 2], `${op}.nnf`);
  ctx.dispatchFlat(
    ctx.program(`${op}.init`, initSource, {}, includes),
    { levels: sourceLevels, known, classes, valid, nnf_out: nnf, u: base },
    count,
  );
  const search = ctx.program(`${op}.search`, searchSource, {}, includes);
  const vote = ctx.program(`${op}.vote`, voteSource, {}, includes);
  let levels = sourceLevels;
  let result: Tensor | undefined;
  let pass = 1;
  for (let it = 0; it < plan.iterations; it++) {
    for (const step of plan.steps) {
      const next = Tensor.empty(ctx, [1, h, w, 2], `${op}.nnf`);
      ctx.dispatchFlat(
        search,
        {
          levels,
          known,
          classes,
          valid,
          nnf_in: nnf,
          nnf_out: next,
          u: { ...base, pass_index: pass++, step, known_only: it === 0 ? 1 : 0 },
        },
        count,
      );
      nnf.dispose();
      nnf = next;
    }
    const imageOut = Tensor.empty(ctx, image.shape, op);
    const levelsOut = Tensor.empty(ctx, image.shape, `${op}.levels`);
    ctx.dispatchFlat(
      vote,
      {
        image,
        source_levels: sourceLevels,
        levels,
        known,
        classes,
        nnf,
        image_out: imageOut,
        levels_out: levelsOut,
        u: {
          ...base,
          known_only: 0,
          centre_vote: plan.finalVote === 'centre' && it === plan.iterations - 1 ? 1 : 0,
        },
      },
      count,
    );
    if (levels !== sourceLevels) levels.dispose();
    result?.dispose();
    levels = levelsOut;
    result = imageOut;
  }
  // Safe to pool now: the queue runs every dispatch that reads them first.
  for (const t of [levels, sourceLevels, valid]) t.dispose();
  return { image: result!, nnf };
}
