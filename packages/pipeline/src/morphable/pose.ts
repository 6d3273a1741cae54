import {
  choleskySolve,
  mat3Det,
  mat3Mul,
  rotationFromAxisAngle,
  symmetricEigen,
  type Mat3,
} from '../math/linalg.ts';

/**
 * Model space → image space: [u, v, depth] = scale · rotation · X + translation. u, v are pixels
 * (origin at the top-left corner, v down) and depth grows away from the camera, so the frame is
 * right-handed; a face looking at the camera (ICT: y up, z towards the viewer) has rotation
 * diag(1, -1, -1).
 */
export interface Pose {
  /** Row-major 3×3, det +1. */
  rotation: Mat3;
  scale: number;
  translation: [number, number, number];
}

/** The camera the fits assume: scaled orthographic (weak perspective) onto a width × height image. */
export interface ScaledOrthographicCamera {
  kind: 'scaled-orthographic';
  width: number;
  height: number;
}

export const FRONTAL_ROTATION: Mat3 = [1, 0, 0, 0, -1, 0, 0, 0, -1];

/** s·R·X + t for n points [n·3] → [n·3]. */
export function transformPoints(pose: Pose, x: ArrayLike<number>): Float64Array {
  const { rotation: r, scale: s, translation: t } = pose;
  const n = x.length / 3;
  const out = new Float64Array(n * 3);
  for (let i = 0; i < n; i++) {
    const a = x[i * 3];
    const b = x[i * 3 + 1];
    const c = x[i * 3 + 2];
    for (let k = 0; k < 3; k++)
      out[i * 3 + k] = s * (r[k * 3] * a + r[k * 3 + 1] * b + r[k * 3 + 2] * c) + t[k];
  }
  return out;
}

/** Image positions [n·2] of model points [n·3]. */
export function projectPoints(pose: Pose, x: ArrayLike<number>): Float64Array {
  const p = transformPoints(pose, x);
  const n = x.length / 3;
  const out = new Float64Array(n * 2);
  for (let i = 0; i < n; i++) {
    out[i * 2] = p[i * 3];
    out[i * 2 + 1] = p[i * 3 + 1];
  }
  return out;
}

function centroid(x: ArrayLike<number>, dims: number): number[] {
  const n = x.length / dims;
  const c = new Array<number>(dims).fill(0);
  for (let i = 0; i < n; i++) for (let k = 0; k < dims; k++) c[k] += x[i * dims + k] / n;
  return c;
}

/**
 * A first scaled-orthographic pose from 2-D points: the least-squares affine camera y = A·X + b
 * (A 2×3), then A's rows made orthonormal (A = (AAᵀ)^½ · R₁₂, scale = mean singular value) and the
 * third row r₃ = r₁ × r₂. Needs ≥ 4 points that are not coplanar.
 */
export function affinePose2d(x: ArrayLike<number>, y: ArrayLike<number>): Pose {
  const n = x.length / 3;
  if (n < 4 || y.length !== n * 2)
    throw new RangeError(`affinePose2d: need ≥ 4 points with 2-D targets, got ${n}`);
  const cx = centroid(x, 3);
  const cy = centroid(y, 2);
  const xtx = new Float64Array(9);
  const xty = [new Float64Array(3), new Float64Array(3)];
  for (let i = 0; i < n; i++) {
    const d = [x[i * 3] - cx[0], x[i * 3 + 1] - cx[1], x[i * 3 + 2] - cx[2]];
    for (let a = 0; a < 3; a++) {
      for (let b = 0; b < 3; b++) xtx[a * 3 + b] += d[a] * d[b];
      xty[0][a] += d[a] * (y[i * 2] - cy[0]);
      xty[1][a] += d[a] * (y[i * 2 + 1] - cy[1]);
    }
  }
  const a1 = choleskySolve(xtx, xty[0], 3);
  const a2 = choleskySolve(xtx, xty[1], 3);
  // M = A Aᵀ (2×2); R₁₂ = M^{-½} A.
  const m00 = a1[0] * a1[0] + a1[1] * a1[1] + a1[2] * a1[2];
  const m01 = a1[0] * a2[0] + a1[1] * a2[1] + a1[2] * a2[2];
  const m11 = a2[0] * a2[0] + a2[1] * a2[1] + a2[2] * a2[2];
  const { values, vectors } = symmetricEigen([m00, m01, m01, m11], 2);
  const sv = [Math.sqrt(Math.max(values[0], 1e-30)), Math.sqrt(Math.max(values[1], 1e-30))];
  const inv = new Float64Array(4); // M^{-½} = V diag(1/σ) Vᵀ
  for (let i = 0; i < 2; i++)
    for (let j = 0; j < 2; j++)
      inv[i * 2 + j] =
        (vectors[i * 2] * vectors[j * 2]) / sv[0] + (vectors[i * 2 + 1] * vectors[j * 2 + 1]) / sv[1];
  const r1 = [0, 1, 2].map((k) => inv[0] * a1[k] + inv[1] * a2[k]);
  const r2 = [0, 1, 2].map((k) => inv[2] * a1[k] + inv[3] * a2[k]);
  const r3 = [r1[1] * r2[2] - r1[2] * r2[1], r1[2] * r2[0] - r1[0] * r2[2], r1[0] * r2[1] - r1[1] * r2[0]];
  const rotation = [...r1, ...r2, ...r3] as Mat3;
  const scale = (sv[0] + sv[1]) / 2;
  const rc = transformPoints({ rotation, scale, translation: [0, 0, 0] }, cx);
  return { rotation, scale, translation: [cy[0] - rc[0], cy[1] - rc[1], 0] };
}

/**
 * Gauss–Newton on the 2-D reprojection error Σ wᵢ‖s·P·R·Xᵢ + t − yᵢ‖² over rotation (a left
 * axis-angle update), log-scale and image translation. Depth translation is left as given.
 */
export function refinePose2d(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  start: Pose,
  { iterations = 20, weights }: { iterations?: number; weights?: ArrayLike<number> } = {},
): Pose {
  let pose = { ...start, translation: [...start.translation] as Pose['translation'] };
  const n = x.length / 3;
  for (let it = 0; it < iterations; it++) {
    const q = transformPoints({ ...pose, translation: [0, 0, 0] }, x); // s·R·X
    const jtj = new Float64Array(36);
    const jtr = new Float64Array(6);
    for (let i = 0; i < n; i++) {
      const w = weights ? weights[i] : 1;
      const [qx, qy, qz] = [q[i * 3], q[i * 3 + 1], q[i * 3 + 2]];
      const ru = qx + pose.translation[0] - y[i * 2];
      const rv = qy + pose.translation[1] - y[i * 2 + 1];
      // Rows of the Jacobian for u and v: [δr (3), δlog s, δtu, δtv].
      const ju = [0, qz, -qy, qx, 1, 0];
      const jv = [-qz, 0, qx, qy, 0, 1];
      for (let a = 0; a < 6; a++) {
        jtr[a] += w * (ju[a] * ru + jv[a] * rv);
        for (let b = 0; b < 6; b++) jtj[a * 6 + b] += w * (ju[a] * ju[b] + jv[a] * jv[b]);
      }
    }
    // A little Levenberg damping keeps the step defined for degenerate point sets.
    for (let a = 0; a < 6; a++) jtj[a * 6 + a] *= 1 + 1e-9;
    for (let a = 0; a < 6; a++) jtj[a * 6 + a] += 1e-12;
    const d = choleskySolve(jtj, jtr, 6).map((v) => -v);
    const rotation = mat3Mul(rotationFromAxisAngle([d[0], d[1], d[2]]), pose.rotation);
    pose = {
      rotation,
      scale: pose.scale * Math.exp(d[3]),
      translation: [pose.translation[0] + d[4], pose.translation[1] + d[5], pose.translation[2]],
    };
    if (Math.hypot(d[0], d[1], d[2], d[3]) < 1e-10 && Math.hypot(d[4], d[5]) < 1e-8) break;
  }
  if (Math.abs(mat3Det(pose.rotation) - 1) > 1e-6)
    throw new Error('refinePose2d: rotation drifted from SO(3)');
  return pose;
}
