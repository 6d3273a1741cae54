import type { KernelContext } from '../core/context.ts';
import { KernelError, fmtShape } from '../core/errors.ts';
import { Tensor } from '../core/tensor.ts';
import { binary } from '../elementwise/elementwise.ts';
import { PYRAMID_INCLUDES, pyramidParams } from '../pyramid/pyramid.ts';
import composeSource from './compose.wgsl?raw';
import prolongSource from './prolong.wgsl?raw';
import relaxSource from './relax.wgsl?raw';
import restrictSource from './restrict.wgsl?raw';

/** Label codes of poissonBlend's `labels` map. */
export const POISSON_LABEL = { outside: 0, known: 1, unknown: 2 } as const;

export interface PoissonBlendOptions {
  /** Red-black Gauss-Seidel sweeps per level (default 24); the coarsest level gets four times as many. */
  iterations?: number;
  /** Coarsen while the longer side of the next level stays at least this (default 8). */
  minSide?: number;
}

export interface PoissonLevel {
  h: number;
  w: number;
  sweeps: number;
}

/**
 * The coarse-to-fine schedule: level 0 is full size, each next one half (rounded up) while its longer
 * side stays ≥ minSide; solved coarsest first. The coarsest level has no better start than zero, so
 * it gets four times the sweeps; finer levels only smooth what the prolongation leaves.
 */
export function poissonSchedule(h: number, w: number, opts: PoissonBlendOptions = {}): PoissonLevel[] {
  const sweeps = opts.iterations ?? 24;
  const minSide = opts.minSide ?? 8;
  const levels: PoissonLevel[] = [{ h, w, sweeps }];
  for (;;) {
    const last = levels[levels.length - 1];
    const [nh, nw] = [Math.ceil(last.h / 2), Math.ceil(last.w / 2)];
    if (Math.max(nh, nw) < minSide || (nh === last.h && nw === last.w)) break;
    levels.push({ h: nh, w: nw, sweeps });
  }
  levels[levels.length - 1].sweeps = 4 * sweeps;
  return levels;
}

/**
 * Gradient-domain (Poisson) blending after Pérez, Gangnet & Blake, "Poisson Image Editing" (2003):
 * on the unknown texels (labels = 2) finds f with the guide's gradients, Δf = Δguide, and f = target
 * on the known texels (labels = 1) next to them (Dirichlet); texels outside the domain (labels = 0)
 * are a zero-flux boundary, so UV islands do not leak into each other. Solved for the correction
 * d = f − guide, which is harmonic (Δd = 0, d = target − guide on the known texels), by red-black
 * Gauss-Seidel from coarse to fine (poissonSchedule). Known and outside texels come out as the target
 * bit for bit. target, guide: [N, H, W, C]; labels: [N, H, W, 1] holding 0, 1 or 2. Returns a new tensor.
 */
export function poissonBlend(
  ctx: KernelContext,
  target: Tensor,
  guide: Tensor,
  labels: Tensor,
  opts: PoissonBlendOptions = {},
): Tensor {
  const op = 'poissonBlend';
  for (const t of [target, guide, labels]) t.assertAlive(op);
  const [n, h, w, c] = target.shape;
  if (guide.shape.some((v, k) => v !== target.shape[k]))
    throw new KernelError(op, `guide ${fmtShape(guide.shape)} must match target ${fmtShape(target.shape)}`);
  if (labels.n !== n || labels.h !== h || labels.w !== w || labels.c !== 1)
    throw new KernelError(
      op,
      `labels ${fmtShape(labels.shape)} must be [${n}, ${h}, ${w}, 1] for target ${fmtShape(target.shape)}`,
    );
  const iterations = opts.iterations ?? 24;
  if (!Number.isInteger(iterations) || iterations < 0 || iterations > 10000)
    throw new KernelError(op, `iterations ${iterations} must be an integer in [0, 10000]`);
  const schedule = poissonSchedule(h, w, opts);
  const restrict = ctx.program(`${op}.restrict`, restrictSource, {}, PYRAMID_INCLUDES);
  const prolong = ctx.program(`${op}.prolong`, prolongSource, {}, PYRAMID_INCLUDES);
  const relax = ctx.program(`${op}.relax`, relaxSource);
  const compose = ctx.program(`${op}.compose`, composeSource);
  const c4 = target.c4;
  const ds: Tensor[] = [binary(ctx, 'sub', target, guide)];
  const ls: Tensor[] = [labels];
  for (let k = 1; k < schedule.length; k++) {
    const lv = schedule[k];
    const d = Tensor.empty(ctx, [n, lv.h, lv.w, c], `${op}.d${k}`);
    const l = Tensor.empty(ctx, [n, lv.h, lv.w, 1], `${op}.labels${k}`);
    const u = pyramidParams([schedule[k - 1].h, schedule[k - 1].w], [lv.h, lv.w], c4, d.vec4Count);
    ctx.dispatchFlat(
      restrict,
      { d_in: ds[k - 1], label_in: ls[k - 1], d_out: d, label_out: l, u },
      d.vec4Count,
    );
    ds.push(d);
    ls.push(l);
  }
  for (let k = schedule.length - 1; k >= 0; k--) {
    const lv = schedule[k];
    const count = ds[k].vec4Count;
    if (k < schedule.length - 1) {
      const u = pyramidParams([lv.h, lv.w], [schedule[k + 1].h, schedule[k + 1].w], c4, count);
      ctx.dispatchFlat(prolong, { coarse: ds[k + 1], label: ls[k], d: ds[k], u }, count);
    }
    for (let s = 0; s < lv.sweeps; s++)
      for (const parity of [0, 1])
        ctx.dispatchFlat(
          relax,
          { label: ls[k], d: ds[k], u: { h: lv.h, w: lv.w, c4, count, parity } },
          count,
        );
  }
  const result = Tensor.empty(ctx, target.shape, op);
  const count = result.vec4Count;
  ctx.dispatchFlat(
    compose,
    { target_image: target, guide, label: labels, d: ds[0], result, u: { h, w, c4, count } },
    count,
  );
  // Safe to pool now: the queue runs every dispatch that reads them first.
  for (const d of ds) d.dispose();
  for (const l of ls.slice(1)) l.dispose();
  return result;
}
