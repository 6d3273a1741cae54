import { describe, expect, it } from 'vitest';
import { mat3Mul, rotationFromAxisAngle } from '../../math/linalg.ts';
import {
  dampedStep,
  GEOMETRY_PARAMS,
  pointTerm,
  projectVertices,
  type PerspectiveCamera,
} from './geometry.ts';

// A small random model: 30 vertices around a face-sized blob 50 units from the camera, 4 modes.
function lcg(seed: number) {
  let s = seed;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
}
const rand = lcg(7);
const Vm = 30;
const M = 4;
const neutral = Float64Array.from({ length: Vm * 3 }, (_, i) => (i % 3 === 2 ? 3 : 8) * rand());
const basis = Float64Array.from({ length: M * Vm * 3 }, () => 0.5 * rand());
const shapeOf = (w: ArrayLike<number>) =>
  Float64Array.from(neutral, (x, i) => {
    let s = x;
    for (let m = 0; m < M; m++) s += w[m] * basis[m * Vm * 3 + i];
    return s;
  });
const R0 = mat3Mul(rotationFromAxisAngle([0.1, 0.3, -0.05]), [1, 0, 0, 0, -1, 0, 0, 0, -1]);
const vertices = Array.from({ length: 12 }, (_, i) => (i * 7) % Vm);
const weights = vertices.map((_, i) => 0.25 + (i % 4) * 0.25);

/** The geometry vector x = [δω, T, log f, w] applied to a base camera. */
function evaluate(x: ArrayLike<number>, points: ArrayLike<number>, base: PerspectiveCamera) {
  const cam: PerspectiveCamera = {
    rotation: mat3Mul(rotationFromAxisAngle([x[0], x[1], x[2]]), base.rotation),
    translation: [0, 1, 2].map((k) => base.translation[k] + x[3 + k]),
    focal: base.focal * Math.exp(x[6]),
    centre: base.centre,
  };
  const w = Array.from({ length: M }, (_, m) => x[GEOMETRY_PARAMS + m]);
  return pointTerm(shapeOf(w), basis, M, cam, { vertices, points, weights, sigma: 3 });
}

const base: PerspectiveCamera = { rotation: R0, translation: [1, -2, 50], focal: 500, centre: [128, 128] };
const w0 = [0.3, -0.5, 0.8, 0.1];
const n = GEOMETRY_PARAMS + M;
const at = (x: number[], w: number[]) => [...x, ...w];

describe('photometric fit geometry: point term against central differences', () => {
  // Central differences with h = 1e-5 on values ~1e2–1e3 have truncation O(h²·f''') and rounding
  // O(ε·f/h) ≈ 1e-8 relative: 1e-6 relative to the gradient's norm leaves a wide margin for both.
  it('gradient over [δω, T, log f, w] matches central differences of the value', () => {
    const noisy = Float64Array.from(projectVertices(shapeOf(w0), vertices, base), (p) => p + 6 * rand());
    const x = at([0, 0, 0, 0, 0, 0, 0], w0);
    const { grad, value } = evaluate(x, noisy, base);
    expect(value).toBeGreaterThan(1);
    const h = 1e-5;
    const norm = Math.hypot(...grad);
    for (let i = 0; i < n; i++) {
      const [xp, xm] = [x.slice(), x.slice()];
      xp[i] += h;
      xm[i] -= h;
      const fd = (evaluate(xp, noisy, base).value - evaluate(xm, noisy, base).value) / (2 * h);
      expect(Math.abs(fd - grad[i])).toBeLessThan(1e-6 * norm);
    }
  });

  // At zero residual the Gauss–Newton Hessian is the true Hessian: compare it with central
  // differences of the gradient (same step and tolerance reasoning).
  it('Gauss–Newton Hessian equals central differences of the gradient at zero residual', () => {
    const exact = projectVertices(shapeOf(w0), vertices, base);
    const x = at([0, 0, 0, 0, 0, 0, 0], w0);
    const { hessian, grad } = evaluate(x, exact, base);
    expect(Math.hypot(...grad)).toBeLessThan(1e-8);
    const h = 1e-5;
    const scale = Math.max(...hessian.map(Math.abs));
    for (let i = 0; i < n; i++) {
      const [xp, xm] = [x.slice(), x.slice()];
      xp[i] += h;
      xm[i] -= h;
      const gp = evaluate(xp, exact, base).grad;
      const gm = evaluate(xm, exact, base).grad;
      for (let j = 0; j < n; j++)
        expect(Math.abs((gp[j] - gm[j]) / (2 * h) - hessian[i * n + j])).toBeLessThan(1e-5 * scale);
    }
  });

  it('undamped steps recover a known pose, focal length and weights from exact points', () => {
    const truth = at([0.05, -0.04, 0.02, 0.5, -0.3, 2, 0.08], [0.9, -0.7, 0.2, 0.4]);
    const pointsTrue = projectVertices(shapeOf(truth.slice(GEOMETRY_PARAMS)), vertices, {
      rotation: mat3Mul(rotationFromAxisAngle(truth.slice(0, 3)), R0),
      translation: [1.5, -2.3, 52],
      focal: 500 * Math.exp(0.08),
      centre: base.centre,
    });
    let cam = base;
    let w = [0, 0, 0, 0];
    for (let it = 0; it < 20; it++) {
      const t = evaluate(at([0, 0, 0, 0, 0, 0, 0], w), pointsTrue, cam);
      const d = dampedStep(t.hessian, t.grad, 0);
      cam = {
        rotation: mat3Mul(rotationFromAxisAngle([d[0], d[1], d[2]]), cam.rotation),
        translation: [0, 1, 2].map((k) => cam.translation[k] + d[3 + k]),
        focal: cam.focal * Math.exp(d[6]),
        centre: cam.centre,
      };
      w = w.map((x, m) => x + d[GEOMETRY_PARAMS + m]);
    }
    const final = evaluate(at([0, 0, 0, 0, 0, 0, 0], w), pointsTrue, cam);
    // 12 points × 2 coordinates against 11 unknowns: the exact projections are matched (value ≈ 0).
    expect(final.value).toBeLessThan(1e-12);
  });
});
