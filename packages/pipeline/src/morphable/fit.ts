import { choleskyFactor, choleskySubstitute, mat3Mul, rotationFromAxisAngle } from '../math/linalg.ts';
import { fitSimilarity } from '../fit/similarity.ts';
import { basisRows, evaluateVertices, modeCount, type MorphableModel } from './model.ts';
import { affinePose2d, projectPoints, refinePose2d, transformPoints, type Pose } from './pose.ts';

/** 2-D targets for some model vertices: image position of vertices[i] is points[2i..2i+1]. */
export interface PointTargets {
  vertices: ArrayLike<number>;
  /** [n·2] pixels. */
  points: ArrayLike<number>;
  /** Optional depth per point [n] in the same pixel scale (FaceMesh's z): used only to start the pose. */
  depth?: ArrayLike<number>;
  /** Per-point weights (default 1): e.g. lower for jaw contour points under large yaw. */
  weights?: ArrayLike<number>;
}

export interface FitOptions {
  /** Expected landmark noise in pixels; balances the data term against the N(0, σ²) priors. Default 2. */
  sigmaPx?: number;
  /** Prior standard deviation of the identity weights (ICT's are ~N(0, 1)). Default 1. */
  identitySigma?: number;
  /** Prior standard deviation of the expression weights. Default 1. */
  expressionSigma?: number;
  /** Joint Gauss–Newton steps on pose and weights (stops early when converged). Default 15. */
  iterations?: number;
  /** Fit the pose of the neutral shape only (weights stay zero). */
  rigidOnly?: boolean;
  /**
   * Bound on |weight| (default 3): weights that the regularised solution would push past it are held
   * at the bound and the rest re-solved (an active-set bounded least squares), so a landmark fit never
   * returns exploding coefficients. Infinity disables it.
   */
  maxAbsWeight?: number;
  /**
   * Range of the expression weights (default ±maxAbsWeight). ICT's expression modes are ARKit-style
   * blend shapes, defined for weights in [0, 1]: a photo fit should say so (head/fit.ts does).
   */
  expressionRange?: [number, number];
}

export interface LandmarkFit {
  identity: Float64Array;
  expression: Float64Array;
  pose: Pose;
  /** Where the fitted model puts the targets' vertices in the image [n·2]. */
  projected: Float64Array;
}

/**
 * The pose and the identity/expression weights that best explain 2-D targets:
 *   min Σᵢ cᵢ‖s·P·R·(X̄ᵢ + Bᵢ·w) + t − yᵢ‖² / σ² + Σₖ wₖ² / σₖ²   subject to |wₖ| ≤ bound
 * First the rigid pose of the neutral shape (affine start or 3-D Procrustes, then Gauss–Newton), then
 * Gauss–Newton steps on pose and weights together; each step's normal equations ((6 + K)², K = 153
 * for ICT) are solved by Cholesky.
 */
export function fitToPoints(
  model: MorphableModel,
  targets: PointTargets,
  options: FitOptions = {},
): LandmarkFit {
  const { sigmaPx = 2, identitySigma = 1, expressionSigma = 1, iterations = 15, rigidOnly = false } = options;
  const bound = options.maxAbsWeight ?? 3;
  const [eLo, eHi] = options.expressionRange ?? [-bound, bound];
  const n = targets.vertices.length;
  if (targets.points.length !== n * 2) {
    throw new RangeError(`fitToPoints: ${n} vertices but ${targets.points.length / 2} 2-D points`);
  }
  const k = modeCount(model);
  let identity: Float64Array = new Float64Array(model.identity.count);
  let expression: Float64Array = new Float64Array(model.expression.count);
  let shape = evaluateVertices(model, targets.vertices, identity, expression);
  let pose = refinePose2d(shape, targets.points, startPose(shape, targets), { weights: targets.weights });
  if (!rigidOnly) {
    const basis = basisRows(model, targets.vertices);
    const prior = new Float64Array(k);
    prior.fill(1 / identitySigma ** 2, 0, model.identity.count);
    prior.fill(1 / expressionSigma ** 2, model.identity.count);
    const upper = new Float64Array(POSE_PARAMS + k).fill(Infinity);
    const lower = new Float64Array(POSE_PARAMS + k).fill(-Infinity);
    upper.fill(bound, POSE_PARAMS, POSE_PARAMS + model.identity.count);
    lower.fill(-bound, POSE_PARAMS, POSE_PARAMS + model.identity.count);
    upper.fill(Math.min(eHi, bound), POSE_PARAMS + model.identity.count);
    lower.fill(Math.max(eLo, -bound), POSE_PARAMS + model.identity.count);
    let w: Float64Array = new Float64Array(k);
    for (let it = 0; it < iterations; it++) {
      const step = jointStep(basis, shape, targets, pose, w, prior, sigmaPx, upper, lower);
      pose = step.pose;
      const change = maxAbsDiff(step.w, w);
      w = step.w;
      identity = w.slice(0, model.identity.count);
      expression = w.slice(model.identity.count);
      shape = evaluateRows(model.neutral, targets.vertices, basis, w);
      if (change < 1e-6 && step.poseChange < 1e-9) break;
    }
  }
  return { identity, expression, pose, projected: projectPoints(pose, shape) };
}

/**
 * evaluateVertices from the targets' basis rows (basisRows: the same values, each vertex's modes
 * contiguous): the neutral position plus the modes in order, identity then expression, as there.
 */
function evaluateRows(
  neutral: ArrayLike<number>,
  ids: ArrayLike<number>,
  basis: Float64Array,
  w: Float64Array,
): Float64Array {
  const k = w.length;
  const out = new Float64Array(ids.length * 3);
  for (let j = 0; j < ids.length; j++)
    for (let c = 0; c < 3; c++) {
      const row = (j * 3 + c) * k;
      let v = neutral[ids[j] * 3 + c];
      for (let m = 0; m < k; m++) v += w[m] * basis[row + m];
      out[j * 3 + c] = v;
    }
  return out;
}

function maxAbsDiff(a: Float64Array, b: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function startPose(shape: Float64Array, targets: PointTargets): Pose {
  if (!targets.depth) return affinePose2d(shape, targets.points);
  const n = targets.vertices.length;
  const dst = new Float64Array(n * 3);
  for (let i = 0; i < n; i++) {
    dst[i * 3] = targets.points[i * 2];
    dst[i * 3 + 1] = targets.points[i * 2 + 1];
    dst[i * 3 + 2] = targets.depth[i];
  }
  return fitSimilarity(shape, dst);
}

const POSE_PARAMS = 6; // rotation (left axis-angle), log-scale, image translation u, v
/** Rows (two per point) added to the normal equations in one sweep of H. */
const BLOCK_ROWS = 8;

/**
 * One Gauss–Newton step on pose and weights together. The residual rᵢ = s·P·R·(X̄ᵢ + Bᵢ·w) + t − yᵢ is
 * linearised around the current pose and weights; the unknowns are the pose increment and the new
 * weights themselves, so the prior Σ wₖ²/σₖ² and the bounds act on the weights directly.
 * (Alternating pose and shape solves converges far more slowly: pose and shape are strongly coupled.)
 */
function jointStep(
  basis: Float64Array,
  shape: Float64Array,
  targets: PointTargets,
  pose: Pose,
  w: Float64Array,
  prior: Float64Array,
  sigmaPx: number,
  upper: Float64Array,
  lower: Float64Array,
): { pose: Pose; w: Float64Array; poseChange: number } {
  const k = prior.length;
  const u = POSE_PARAMS + k;
  const n = targets.vertices.length;
  const { rotation: r, scale: s, translation: t } = pose;
  const q = transformPoints({ rotation: r, scale: s, translation: [0, 0, 0] }, shape);
  const h = new Float64Array(u * u);
  const g = new Float64Array(u);
  // Up to four points' rows (x and y residuals of each), their right-hand sides and weights.
  const rows = Array.from({ length: BLOCK_ROWS }, () => new Float64Array(u));
  const rhs = new Float64Array(BLOCK_ROWS);
  const rowWeight = new Float64Array(BLOCK_ROWS);
  const inv = 1 / sigmaPx ** 2;
  const r00 = s * r[0];
  const r01 = s * r[1];
  const r02 = s * r[2];
  const r10 = s * r[3];
  const r11 = s * r[4];
  const r12 = s * r[5];
  const fill = (i: number, slot: number, wi: number) => {
    const qx = q[i * 3];
    const qy = q[i * 3 + 1];
    const qz = q[i * 3 + 2];
    const rx = rows[2 * slot];
    const ry = rows[2 * slot + 1];
    rx[0] = 0;
    rx[1] = qz;
    rx[2] = -qy;
    rx[3] = qx;
    rx[4] = 1;
    rx[5] = 0;
    ry[0] = -qz;
    ry[1] = 0;
    ry[2] = qx;
    ry[3] = qy;
    ry[4] = 0;
    ry[5] = 1;
    const b0 = i * 3 * k;
    const b1 = b0 + k;
    const b2 = b1 + k;
    // ∂r/∂w = rows 0 and 1 of s·R applied to the point's three basis rows.
    let jx = 0;
    let jy = 0;
    for (let m = 0; m < k; m++) {
      const x = basis[b0 + m];
      const y = basis[b1 + m];
      const z = basis[b2 + m];
      const dx = r00 * x + r01 * y + r02 * z;
      const dy = r10 * x + r11 * y + r12 * z;
      rx[POSE_PARAMS + m] = dx;
      ry[POSE_PARAMS + m] = dy;
      jx += dx * w[m];
      jy += dy * w[m];
    }
    // Linear model in (δpose, w_new): r ≈ (residual − J_w·w_old) + J_pose·δpose + J_w·w_new.
    rhs[2 * slot] = -(qx + t[0] - targets.points[i * 2] - jx);
    rhs[2 * slot + 1] = -(qy + t[1] - targets.points[i * 2 + 1] - jy);
    rowWeight[2 * slot] = wi;
    rowWeight[2 * slot + 1] = wi;
  };
  // Adds the first `count` rows to H and g in one sweep of H. Each entry gains the rows' terms in row
  // order, and a row whose coefficient is 0 adds nothing, as one row at a time would: the same bits.
  // A full block where every coefficient of H's rows a and a + 1 is non-zero adds to both rows in one
  // pass over the columns, which reads each block row's entry once for the two.
  const [r0, r1, r2, r3, r4, r5, r6, r7] = rows;
  const c = new Float64Array(2 * BLOCK_ROWS);
  /** The coefficients of H's row a in c[at…at + 7]; whether none is 0. */
  const coefficients = (a: number, at: number) => {
    let nonZero = true;
    for (let m = 0; m < BLOCK_ROWS; m++) {
      const cm = rows[m][a] * rowWeight[m];
      c[at + m] = cm;
      if (cm === 0) nonZero = false;
    }
    return nonZero;
  };
  const addToG = (a: number, at: number) => {
    let ga = g[a];
    for (let m = 0; m < BLOCK_ROWS; m++) ga += c[at + m] * rhs[m];
    g[a] = ga;
  };
  const sweep = (count: number) => {
    for (let a = 0; a < u; a++) {
      const at = a * u;
      if (count === BLOCK_ROWS && coefficients(a, 0)) {
        addToG(a, 0);
        const c0 = c[0];
        const c1 = c[1];
        const c2 = c[2];
        const c3 = c[3];
        const c4 = c[4];
        const c5 = c[5];
        const c6 = c[6];
        const c7 = c[7];
        if (a + 1 < u && coefficients(a + 1, BLOCK_ROWS)) {
          addToG(a + 1, BLOCK_ROWS);
          const d0 = c[8];
          const d1 = c[9];
          const d2 = c[10];
          const d3 = c[11];
          const d4 = c[12];
          const d5 = c[13];
          const d6 = c[14];
          const d7 = c[15];
          h[at + a] =
            h[at + a] +
            c0 * r0[a] +
            c1 * r1[a] +
            c2 * r2[a] +
            c3 * r3[a] +
            c4 * r4[a] +
            c5 * r5[a] +
            c6 * r6[a] +
            c7 * r7[a];
          const next = at + u;
          for (let b = a + 1; b < u; b++) {
            const x0 = r0[b];
            const x1 = r1[b];
            const x2 = r2[b];
            const x3 = r3[b];
            const x4 = r4[b];
            const x5 = r5[b];
            const x6 = r6[b];
            const x7 = r7[b];
            h[at + b] =
              h[at + b] + c0 * x0 + c1 * x1 + c2 * x2 + c3 * x3 + c4 * x4 + c5 * x5 + c6 * x6 + c7 * x7;
            h[next + b] =
              h[next + b] + d0 * x0 + d1 * x1 + d2 * x2 + d3 * x3 + d4 * x4 + d5 * x5 + d6 * x6 + d7 * x7;
          }
          a++;
          continue;
        }
        for (let b = a; b < u; b++)
          h[at + b] =
            h[at + b] +
            c0 * r0[b] +
            c1 * r1[b] +
            c2 * r2[b] +
            c3 * r3[b] +
            c4 * r4[b] +
            c5 * r5[b] +
            c6 * r6[b] +
            c7 * r7[b];
        continue;
      }
      for (let m = 0; m < count; m++) {
        const row = rows[m];
        const cm = row[a] * rowWeight[m];
        if (cm === 0) continue;
        g[a] += cm * rhs[m];
        for (let b = a; b < u; b++) h[at + b] += cm * row[b];
      }
    }
  };
  // Points of weight 0 add nothing (every coefficient of their rows is 0) and are left out, so the
  // blocks fill with points that count.
  let slot = 0;
  for (let i = 0; i < n; i++) {
    const wi = (targets.weights ? targets.weights[i] : 1) * inv;
    if (wi === 0) continue;
    fill(i, slot++, wi);
    if (2 * slot === BLOCK_ROWS) {
      sweep(BLOCK_ROWS);
      slot = 0;
    }
  }
  if (slot) sweep(2 * slot);
  for (let a = 0; a < u; a++) {
    if (a >= POSE_PARAMS) h[a * u + a] += prior[a - POSE_PARAMS];
    else h[a * u + a] += 1e-12;
    for (let b = 0; b < a; b++) h[a * u + b] = h[b * u + a];
  }
  const x = boundedSolve(h, g, u, upper, lower);
  return {
    pose: {
      rotation: mat3Mul(rotationFromAxisAngle([x[0], x[1], x[2]]), r),
      scale: s * Math.exp(x[3]),
      translation: [t[0] + x[4], t[1] + x[5], t[2]],
    },
    w: x.slice(POSE_PARAMS),
    poseChange: Math.hypot(x[0], x[1], x[2], x[3]),
  };
}

/**
 * Solves H·w = g with lowerₖ ≤ wₖ ≤ upperₖ (lower defaults to −upper): unknowns that leave the box
 * are fixed at the bound they cross (their columns moved to the right-hand side) and the rest
 * re-solved, until no free unknown leaves it. Each re-solve keeps what the previous Cholesky factor
 * computed before the newly fixed unknown (choleskyFactor's `removed`): its rows, and the columns
 * before it in every later row. The fit's violators are mostly its last unknowns (expression weights
 * held at 0), so most of each re-factorisation is skipped, and the result is the same to the bit as
 * factorising from scratch.
 */
export function boundedSolve(
  h: Float64Array,
  g: Float64Array,
  k: number,
  upper: number | ArrayLike<number>,
  lower?: number | ArrayLike<number>,
): Float64Array {
  const hi = (a: number) => (typeof upper === 'number' ? upper : upper[a]);
  const lo = (a: number) => (lower === undefined ? -hi(a) : typeof lower === 'number' ? lower : lower[a]);
  const fixed = new Float64Array(k).fill(NaN);
  let free = Array.from({ length: k }, (_, a) => a);
  /** The fixed unknowns in increasing order: the order their columns leave the right-hand side. */
  const fixedInOrder: number[] = [];
  let kept: { factor: Float64Array; side: number; rows: number; removed: true } | undefined;
  // The free unknowns' H at side f, rewritten each re-solve where choleskyFactor reads it.
  const hf = new Float64Array(k * k);
  for (;;) {
    const f = free.length;
    const gf = new Float64Array(f);
    for (let i = 0; i < f; i++) {
      const a = free[i];
      let rhs = g[a];
      for (const b of fixedInOrder) rhs -= h[a * k + b] * fixed[b];
      gf[i] = rhs;
    }
    // Only what choleskyFactor reads: the lower triangle of the rows it computes, past the columns it keeps.
    const from = kept?.rows ?? 0;
    for (let i = from; i < f; i++) for (let j = from; j <= i; j++) hf[i * f + j] = h[free[i] * k + free[j]];
    const factor = choleskyFactor(hf, f, kept);
    const x = choleskySubstitute(factor, gf, f);
    let worst = -1;
    let worstBy = 0;
    let worstAt = 0;
    let worstPos = 0;
    for (let i = 0; i < f; i++) {
      const a = free[i];
      const by = Math.max(x[i] - hi(a), lo(a) - x[i]);
      if (by > worstBy) [worst, worstBy, worstAt, worstPos] = [a, by, x[i] > hi(a) ? hi(a) : lo(a), i];
    }
    if (worst < 0) {
      const w = Float64Array.from(fixed);
      for (let i = 0; i < f; i++) w[free[i]] = x[i];
      return w;
    }
    // Fix the worst violator only: fixing one can pull others back inside.
    fixed[worst] = worstAt;
    const at = fixedInOrder.findIndex((b) => b > worst);
    fixedInOrder.splice(at < 0 ? fixedInOrder.length : at, 0, worst);
    free = free.filter((a) => a !== worst);
    kept = { factor, side: f, rows: worstPos, removed: true };
  }
}

/** fitToPoints on the 68 multi-PIE landmarks [68·2] (e.g. faceMeshTo68 of FaceMesh's points). */
export function fitToLandmarks(
  model: MorphableModel,
  landmarks: ArrayLike<number>,
  options: FitOptions & {
    depth?: ArrayLike<number>;
    weights?: ArrayLike<number>;
  } = {},
): LandmarkFit {
  if (landmarks.length !== model.landmarks.length * 2) {
    throw new RangeError(
      `fitToLandmarks: expected ${model.landmarks.length}×2 values, got ${landmarks.length}`,
    );
  }
  return fitToPoints(
    model,
    {
      vertices: model.landmarks,
      points: landmarks,
      depth: options.depth,
      weights: options.weights,
    },
    options,
  );
}
