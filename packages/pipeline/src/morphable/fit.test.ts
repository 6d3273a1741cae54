import { describe, expect, it } from 'vitest';
import { rng, randomArray } from '@avatarme/testing';
import { FACEMESH_TO_68, faceMeshTo68 } from './facemesh68.ts';
import { boundedSolve, fitToLandmarks } from './fit.ts';
import { loadIctModel } from './ict-testdata.ts';
import { choleskySolve, mat3Mul, rotationFromAxisAngle, symmetricEigen } from '../math/linalg.ts';
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
