import { choleskySolve, type Mat3 } from '../../math/linalg.ts';

/**
 * The geometric half of the photometric fit, solved by Levenberg–Marquardt on the CPU: the 2-D point
 * term ½ Σᵢ cᵢ‖π(Xᵢ) − yᵢ‖²/σ² of a perspective camera (the landmark fit's own Gaussian term, so its
 * result is where this term's gradient vanishes up to the camera model), its gradient and Gauss–Newton
 * Hessian over the geometry vector [δω (3), T (3), log f, w (M)]. δω is a rotation applied on the
 * left of the current one (X = exp([δω]×)·R·P + T).
 */
export const GEOMETRY_PARAMS = 7;

export interface PerspectiveCamera {
  rotation: Mat3;
  translation: ArrayLike<number>;
  focal: number;
  /** Principal point (photo pixels). */
  centre: [number, number];
}

export interface PointTargets {
  /** Model vertex of each point [n]. */
  vertices: ArrayLike<number>;
  /** Photo positions [n·2]. */
  points: ArrayLike<number>;
  /** Per-point weights cᵢ [n]. */
  weights: ArrayLike<number>;
  /** Noise σ in pixels. */
  sigma: number;
}

export interface QuadraticTerm {
  value: number;
  grad: Float64Array;
  /** Row-major [n·n], n = GEOMETRY_PARAMS + M. */
  hessian: Float64Array;
}

/** Projections of model vertices `shape` [Vm·3] at the given vertices [n·2]. */
export function projectVertices(
  shape: ArrayLike<number>,
  vertices: ArrayLike<number>,
  cam: PerspectiveCamera,
): Float64Array {
  const out = new Float64Array(vertices.length * 2);
  const R = cam.rotation;
  for (let i = 0; i < vertices.length; i++) {
    const v = vertices[i];
    const X = [0, 1, 2].map(
      (k) =>
        R[3 * k] * shape[3 * v] +
        R[3 * k + 1] * shape[3 * v + 1] +
        R[3 * k + 2] * shape[3 * v + 2] +
        cam.translation[k],
    );
    out[2 * i] = (cam.focal * X[0]) / X[2] + cam.centre[0];
    out[2 * i + 1] = (cam.focal * X[1]) / X[2] + cam.centre[1];
  }
  return out;
}

/**
 * ½ Σ cᵢ‖π(Xᵢ) − yᵢ‖²/σ² with its gradient and Gauss–Newton Hessian over [δω, T, log f, w];
 * `basis` is mode-major [M·Vm·3] (the modes of `shape`). The Hessian costs (7 + M)² per point, most of
 * the term: `withHessian` false leaves it zero.
 */
export function pointTerm(
  shape: ArrayLike<number>,
  basis: ArrayLike<number>,
  modes: number,
  cam: PerspectiveCamera,
  t: PointTargets,
  withHessian = true,
): QuadraticTerm {
  const Vm = shape.length / 3;
  const n = GEOMETRY_PARAMS + modes;
  const grad = new Float64Array(n);
  const hessian = new Float64Array(n * n);
  const R = cam.rotation;
  const f = cam.focal;
  const inv = 1 / (t.sigma * t.sigma);
  const ju = new Float64Array(n);
  const jv = new Float64Array(n);
  let value = 0;
  for (let i = 0; i < t.vertices.length; i++) {
    const c = t.weights[i] * inv;
    if (!(c > 0)) continue;
    const v = t.vertices[i];
    const a = [0, 1, 2].map(
      (k) => R[3 * k] * shape[3 * v] + R[3 * k + 1] * shape[3 * v + 1] + R[3 * k + 2] * shape[3 * v + 2],
    );
    const [X, Y, Z] = [a[0] + cam.translation[0], a[1] + cam.translation[1], a[2] + cam.translation[2]];
    const ru = (f * X) / Z + cam.centre[0] - t.points[2 * i];
    const rv = (f * Y) / Z + cam.centre[1] - t.points[2 * i + 1];
    value += 0.5 * c * (ru * ru + rv * rv);
    // ∂u/∂X = (f/Z, 0, −fX/Z²), ∂v/∂X = (0, f/Z, −fY/Z²).
    const du = [f / Z, 0, (-f * X) / (Z * Z)];
    const dv = [0, f / Z, (-f * Y) / (Z * Z)];
    // ∂X/∂δω_j = e_j × a.
    const cross = [
      [0, -a[2], a[1]],
      [a[2], 0, -a[0]],
      [-a[1], a[0], 0],
    ];
    for (let j = 0; j < 3; j++) {
      ju[j] = du[0] * cross[j][0] + du[1] * cross[j][1] + du[2] * cross[j][2];
      jv[j] = dv[0] * cross[j][0] + dv[1] * cross[j][1] + dv[2] * cross[j][2];
      ju[3 + j] = du[j];
      jv[3 + j] = dv[j];
    }
    ju[6] = (f * X) / Z;
    jv[6] = (f * Y) / Z;
    // ∂X/∂w_m = R·B_m(v): (∂u/∂X)·R is a row over model space.
    const uR = [0, 1, 2].map((k) => du[0] * R[k] + du[1] * R[3 + k] + du[2] * R[6 + k]);
    const vR = [0, 1, 2].map((k) => dv[0] * R[k] + dv[1] * R[3 + k] + dv[2] * R[6 + k]);
    for (let m = 0; m < modes; m++) {
      const o = m * Vm * 3 + 3 * v;
      const [b0, b1, b2] = [basis[o], basis[o + 1], basis[o + 2]];
      ju[GEOMETRY_PARAMS + m] = uR[0] * b0 + uR[1] * b1 + uR[2] * b2;
      jv[GEOMETRY_PARAMS + m] = vR[0] * b0 + vR[1] * b1 + vR[2] * b2;
    }
    for (let a1 = 0; a1 < n; a1++) {
      grad[a1] += c * (ju[a1] * ru + jv[a1] * rv);
      if (!withHessian) continue;
      const [pu, pv] = [c * ju[a1], c * jv[a1]];
      if (pu === 0 && pv === 0) continue;
      const row = a1 * n;
      for (let b = a1; b < n; b++) hessian[row + b] += pu * ju[b] + pv * jv[b];
    }
  }
  if (withHessian)
    for (let a1 = 0; a1 < n; a1++) for (let b = 0; b < a1; b++) hessian[a1 * n + b] = hessian[b * n + a1];
  return { value, grad, hessian };
}

/**
 * The Levenberg–Marquardt step −(H + μ·(diag H + ε))⁻¹ g (Marquardt's scaling, so each parameter is
 * damped on its own curvature; ε keeps parameters that H does not see, e.g. ones held fixed, at rest).
 */
export function dampedStep(h: Float64Array, g: Float64Array, mu: number, eps = 1e-9): Float64Array {
  const n = g.length;
  const a = Float64Array.from(h);
  for (let i = 0; i < n; i++) a[i * n + i] += mu * (h[i * n + i] + eps) + eps;
  const x = choleskySolve(a, g, n);
  for (let i = 0; i < n; i++) x[i] = -x[i];
  return x;
}
