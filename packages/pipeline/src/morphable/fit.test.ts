import { describe, expect, it } from 'vitest';
import { rng, randomArray } from '@avatarme/testing';
import { FACEMESH_TO_68, faceMeshTo68 } from './facemesh68.ts';
import { boundedSolve, fitToLandmarks } from './fit.ts';
import { loadIctModel } from './ict-testdata.ts';
import {
  choleskyFactor,
  choleskySolve,
  mat3Mul,
  rotationFromAxisAngle,
  symmetricEigen,
} from '../math/linalg.ts';
import { evaluateVertices } from './model.ts';
import {
  FRONTAL_ROTATION,
  affinePose2d,
  projectPoints,
  refinePose2d,
  transformPoints,
  type Pose,
} from './pose.ts';
import { fitQuality, landmarkError } from './quality.ts';
import { syntheticFace } from './synthetic.ts';

function spd(n: number, seed: number): Float64Array {
  const m = randomArray(n * n, seed);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      for (let k = 0; k < n; k++) a[i * n + j] += m[i * n + k] * m[j * n + k];
      if (i === j) a[i * n + j] += 0.1;
    }
  return a;
}

function matVec(a: ArrayLike<number>, x: ArrayLike<number>, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[i] += a[i * n + j] * x[j];
  return out;
}

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i])));

describe('linear algebra', () => {
  it('Cholesky solves a 153×153 SPD system (the normal equations size) to 1e-9 relative residual', () => {
    const n = 153;
    const a = spd(n, 1);
    const x = Float64Array.from(randomArray(n, 2));
    const b = matVec(a, x, n);
    const got = choleskySolve(a, b, n);
    expect(maxDiff(matVec(a, got, n), b)).toBeLessThan(1e-9 * Math.max(...b.map(Math.abs)));
  });

  it('Cholesky rejects a matrix that is not positive definite', () => {
    expect(() => choleskySolve([1, 2, 2, 1], [1, 1], 2)).toThrow(/not positive definite/);
  });

  it('Jacobi eigen-decomposition reconstructs A = V diag(λ) Vᵀ, values descending', () => {
    const n = 5;
    const a = spd(n, 3);
    const { values, vectors } = symmetricEigen(a, n);
    for (let i = 1; i < n; i++) expect(values[i]).toBeLessThanOrEqual(values[i - 1]);
    const back = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++)
        for (let k = 0; k < n; k++) back[i * n + j] += vectors[i * n + k] * values[k] * vectors[j * n + k];
    expect(maxDiff(back, a)).toBeLessThan(1e-10);
  });

  it('bounded solve equals the plain solve inside the box and keeps every unknown within the bound', () => {
    const n = 20;
    const h = spd(n, 4);
    const g = Float64Array.from(randomArray(n, 5, -3, 3));
    const plain = choleskySolve(h, g, n);
    const big = Math.max(...plain.map(Math.abs));
    expect(maxDiff(boundedSolve(h, g, n, big + 1), plain)).toBe(0);
    const bounded = boundedSolve(h, g, n, big / 3);
    expect(Math.max(...bounded.map(Math.abs))).toBeLessThanOrEqual(big / 3 + 1e-12);
  });

  it('bounded solve keeps each unknown in its own [lower, upper] box (expression weights in [0, 1])', () => {
    const n = 20;
    const h = spd(n, 6);
    const g = Float64Array.from(randomArray(n, 7, -3, 3));
    const plain = choleskySolve(h, g, n);
    const lower = Float64Array.from({ length: n }, (_, i) => (i < 10 ? -Infinity : 0));
    const upper = Float64Array.from({ length: n }, (_, i) => (i < 10 ? Infinity : 0.5 * Math.abs(plain[i])));
    const w = boundedSolve(h, g, n, upper, lower);
    for (let i = 0; i < n; i++) {
      expect(w[i]).toBeGreaterThanOrEqual(lower[i]);
      expect(w[i]).toBeLessThanOrEqual(upper[i] + 1e-12);
    }
    // Unknowns fixed at a bound: the rest solve H·w = g exactly on their rows.
    const hw = Array.from({ length: n }, (_, i) =>
      h.subarray(i * n, i * n + n).reduce((s, v, j) => s + v * w[j], 0),
    );
    for (let i = 0; i < n; i++)
      if (w[i] > lower[i] && w[i] < upper[i]) expect(Math.abs(hw[i] - g[i])).toBeLessThan(1e-9);
    expect(maxDiff(boundedSolve(h, g, n, Infinity, -Infinity), plain)).toBe(0);
  });
});

/** boundedSolve as first written: every re-solve factorises the free system from scratch. */
function boundedSolveFromScratch(
  h: Float64Array,
  g: Float64Array,
  k: number,
  upper: ArrayLike<number>,
  lower: ArrayLike<number>,
): Float64Array {
  const fixed = new Float64Array(k).fill(NaN);
  for (;;) {
    const free: number[] = [];
    for (let a = 0; a < k; a++) if (Number.isNaN(fixed[a])) free.push(a);
    const f = free.length;
    const hf = new Float64Array(f * f);
    const gf = new Float64Array(f);
    free.forEach((a, i) => {
      let rhs = g[a];
      for (let b = 0; b < k; b++) if (!Number.isNaN(fixed[b])) rhs -= h[a * k + b] * fixed[b];
      gf[i] = rhs;
      free.forEach((b, j) => (hf[i * f + j] = h[a * k + b]));
    });
    const x = choleskySolve(hf, gf, f);
    let [worst, worstBy, worstAt] = [-1, 0, 0];
    free.forEach((a, i) => {
      const by = Math.max(x[i] - upper[a], lower[a] - x[i]);
      if (by > worstBy) [worst, worstBy, worstAt] = [a, by, x[i] > upper[a] ? upper[a] : lower[a]];
    });
    if (worst < 0) {
      const w = Float64Array.from(fixed);
      free.forEach((a, i) => (w[a] = x[i]));
      return w;
    }
    fixed[worst] = worstAt;
  }
}

describe('bounded solve re-using the Cholesky factor', () => {
  it('the factor is the textbook row-by-row Cholesky, bit for bit (odd and even sides)', () => {
    for (const n of [1, 2, 7, 40]) {
      const a = spd(n, 11 + n);
      const plain = new Float64Array(n * n);
      for (let i = 0; i < n; i++)
        for (let j = 0; j <= i; j++) {
          let s = a[i * n + j];
          for (let k = 0; k < j; k++) s -= plain[i * n + k] * plain[j * n + k];
          plain[i * n + j] = i === j ? Math.sqrt(s) : s / plain[j * n + j];
        }
      expect(Array.from(choleskyFactor(a, n))).toEqual(Array.from(plain));
    }
    expect(() => choleskyFactor([4, 2, 2, 1], 2)).toThrow(/not positive definite \(pivot 1/);
  });

  it('a factor with kept leading rows is the from-scratch factor, bit for bit', () => {
    const n = 30;
    const a = spd(n + 1, 8);
    const full = choleskyFactor(a, n + 1);
    // Drop unknown 17: rows 0..16 of the old factor still hold.
    const keep = Array.from({ length: n + 1 }, (_, i) => i).filter((i) => i !== 17);
    const sub = new Float64Array(n * n);
    keep.forEach((r, i) => keep.forEach((c, j) => (sub[i * n + j] = a[r * (n + 1) + c])));
    const reused = choleskyFactor(sub, n, { factor: full, side: n + 1, rows: 17 });
    expect(Array.from(reused)).toEqual(Array.from(choleskyFactor(sub, n)));
    // `removed`: the later rows' first 17 columns come from the old factor, not from the matrix.
    const unread = Float64Array.from(sub);
    for (let i = 0; i < n; i++) for (let j = 0; j < Math.min(i + 1, 17); j++) unread[i * n + j] = NaN;
    const removed = choleskyFactor(unread, n, { factor: full, side: n + 1, rows: 17, removed: true });
    expect(Array.from(removed)).toEqual(Array.from(choleskyFactor(sub, n)));
  });

  it('gives the from-scratch active-set result bit for bit on a fit-sized system (6 + 153 unknowns, 53 in [0, 1])', () => {
    const n = 159;
    const h = spd(n, 9);
    for (let i = 0; i < n; i++) h[i * n + i] += 5;
    const g = Float64Array.from(randomArray(n, 10, -40, 40));
    const upper = Float64Array.from({ length: n }, (_, i) => (i < 6 ? Infinity : i < 106 ? 3 : 1));
    const lower = Float64Array.from({ length: n }, (_, i) => (i < 6 ? -Infinity : i < 106 ? -3 : 0));
    const reference = boundedSolveFromScratch(h, g, n, upper, lower);
    const atBounds = reference.filter((v, i) => v === upper[i] || v === lower[i]).length;
    // The case the re-use is for: many unknowns end at a bound, each fixed by a re-solve of its own.
    expect(atBounds).toBeGreaterThan(20);
    expect(Array.from(boundedSolve(h, g, n, upper, lower))).toEqual(Array.from(reference));
  });
});

function randomPose(seed: number): Pose {
  const r = rng(seed);
  const axis = [r() - 0.5, r() - 0.5, r() - 0.5].map((v) => v * 0.8);
  return {
    rotation: mat3Mul(FRONTAL_ROTATION, rotationFromAxisAngle(axis)),
    scale: 10 + 10 * r(),
    translation: [200 + 50 * r(), 220 + 50 * r(), 5 * r()],
  };
}

describe('rigid pose', () => {
  const pts = Float64Array.from(randomArray(30 * 3, 9, -8, 8));

  it('affine start + Gauss–Newton recovers a scaled-orthographic pose from exact 2-D projections', () => {
    const truth = randomPose(12);
    const y = projectPoints(truth, pts);
    const start = affinePose2d(pts, y);
    // Exact data: the affine camera is already orthographic, so the start is exact too.
    expect(maxDiff(projectPoints(start, pts), y)).toBeLessThan(1e-8);
    const perturbed = {
      ...truth,
      rotation: mat3Mul(rotationFromAxisAngle([0.1, -0.15, 0.05]), truth.rotation),
      scale: truth.scale * 1.1,
    };
    const got = refinePose2d(pts, y, perturbed);
    expect(maxDiff(got.rotation, truth.rotation)).toBeLessThan(1e-8);
    expect(got.scale).toBeCloseTo(truth.scale, 8);
  });
});

describe('FaceMesh 468 → 68 landmarks', () => {
  it('has 68 entries of valid FaceMesh indices and averages pairs', () => {
    expect(FACEMESH_TO_68.length).toBe(68);
    expect(FACEMESH_TO_68.flat().every((i) => Number.isInteger(i) && i >= 0 && i < 468)).toBe(true);
    const pts = new Float64Array(468 * 2).map((_, i) => i);
    const lm = faceMeshTo68(pts, 2);
    expect(lm[0]).toBe(127 * 2); // x of point 127
    expect(lm[3 * 2 + 1]).toBe(((132 + 58) / 2) * 2 + 1); // y of the mean of 132 and 58
  });
});

describe('landmark fit on synthetic ICT faces (random weights within ±2, pose, 1 px noise)', () => {
  it('recovers the landmarks far better than the rigid fit, with every |w| ≤ 3', async () => {
    const m = await loadIctModel();
    const rows: string[] = [];
    for (let seed = 1; seed <= 6; seed++) {
      const s = syntheticFace(m, seed, { noisePx: 1 });
      const { fit, quality: q } = fitQuality(m, s.noisy, {}, s.clean);
      rows.push(
        `seed ${seed}: rigid ${q.rigidOnly.meanPx.toFixed(2)} px (${q.rigidOnly.meanPctInterOcular.toFixed(1)}% IOD) → fitted ${q.fitted.meanPx.toFixed(2)} px (${q.fitted.meanPctInterOcular.toFixed(2)}%), max|α| ${q.maxAbsIdentity.toFixed(2)}, max|β| ${q.maxAbsExpression.toFixed(2)}`,
      );
      // Against the noise-free landmarks: the regularised fit of 153 weights to 68 noisy points lands
      // at about the noise level (~1 px mean, ~1% of a ~110 px inter-ocular distance, measured); the
      // rigid fit of the neutral shape is off by 12–25 px. 2% leaves room for other seeds and noise.
      expect(q.fitted.meanPctInterOcular).toBeLessThan(2);
      expect(q.fitted.meanPx).toBeLessThan(q.rigidOnly.meanPx / 4);
      expect(q.maxAbsIdentity).toBeLessThanOrEqual(3);
      expect(q.maxAbsExpression).toBeLessThanOrEqual(3);
      // The pose comes back too: rotation within ~2° (measured), asserted below 4°.
      const rel = mat3Mul(
        fit.pose.rotation,
        [0, 1, 2, 3, 4, 5, 6, 7, 8].map((i) => s.pose.rotation[(i % 3) * 3 + Math.floor(i / 3)]),
      );
      const angle = Math.acos(Math.min(1, (rel[0] + rel[4] + rel[8] - 1) / 2));
      rows.push(`  rotation error ${(angle * (180 / Math.PI)).toFixed(1)}°`);
      expect(angle * (180 / Math.PI)).toBeLessThan(4);
    }
    console.log(`[morphable fit]\n${rows.join('\n')}`);
  });

  it('fits exact landmarks of a mild face to sub-pixel error', async () => {
    const m = await loadIctModel();
    const s = syntheticFace(m, 42, { noisePx: 0, weightRange: 0.5 });
    const fit = fitToLandmarks(m, s.noisy, { sigmaPx: 0.5 });
    expect(landmarkError(fit.projected, s.clean).meanPx).toBeLessThan(0.5);
  });

  it('depth from FaceMesh (3-D targets) gives the same fit as the 2-D start', async () => {
    const m = await loadIctModel();
    const s = syntheticFace(m, 7, { noisePx: 0.5 });
    const shape = evaluateVertices(m, m.landmarks, s.identity, s.expression);
    const depth = Float64Array.from({ length: 68 }, (_, i) => transformPoints(s.pose, shape)[i * 3 + 2]);
    const a = fitToLandmarks(m, s.noisy);
    const b = fitToLandmarks(m, s.noisy, { depth });
    expect(
      Math.abs(landmarkError(a.projected, s.clean).meanPx - landmarkError(b.projected, s.clean).meanPx),
    ).toBeLessThan(0.05);
  });
});
