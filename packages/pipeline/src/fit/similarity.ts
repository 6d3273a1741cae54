import { rotationFromQuaternion, symmetricEigen, type Mat3 } from '../math/linalg.ts';

/** dst ≈ scale · R · src + translation. */
export interface Similarity {
  scale: number;
  /** Row-major, a proper rotation (det = +1). */
  rotation: Mat3;
  translation: [number, number, number];
}

/**
 * The weighted least-squares similarity between two 3-D point sets ([N·3] each): rotation by Horn's
 * quaternion method (largest eigenvector of a 4×4 symmetric matrix; always a proper rotation), then
 * Umeyama's scale and the translation between the weighted centroids.
 */
export function fitSimilarity(
  src: ArrayLike<number>,
  dst: ArrayLike<number>,
  weights?: ArrayLike<number>,
): Similarity {
  const n = src.length / 3;
  if (dst.length !== src.length || n < 3) {
    throw new RangeError(
      `fitSimilarity: need two sets of ≥ 3 points of equal size, got ${n} and ${dst.length / 3}`,
    );
  }
  let wsum = 0;
  const cs = [0, 0, 0];
  const cd = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    const w = weights ? weights[i] : 1;
    wsum += w;
    for (let k = 0; k < 3; k++) {
      cs[k] += w * src[3 * i + k];
      cd[k] += w * dst[3 * i + k];
    }
  }
  for (let k = 0; k < 3; k++) {
    cs[k] /= wsum;
    cd[k] /= wsum;
  }
  // Cross-covariance M[a][b] = Σ w·s_a·d_b and the source variance.
  const m = new Float64Array(9);
  let varSrc = 0;
  for (let i = 0; i < n; i++) {
    const w = weights ? weights[i] : 1;
    const s = [0, 1, 2].map((k) => src[3 * i + k] - cs[k]);
    const d = [0, 1, 2].map((k) => dst[3 * i + k] - cd[k]);
    for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) m[3 * a + b] += w * s[a] * d[b];
    varSrc += w * (s[0] ** 2 + s[1] ** 2 + s[2] ** 2);
  }
  const [sxx, sxy, sxz, syx, syy, syz, szx, szy, szz] = m;
  const nmat = [
    sxx + syy + szz, syz - szy, szx - sxz, sxy - syx,
    syz - szy, sxx - syy - szz, sxy + syx, szx + sxz,
    szx - sxz, sxy + syx, -sxx + syy - szz, syz + szy,
    sxy - syx, szx + sxz, syz + szy, -sxx - syy + szz,
  ]; // prettier-ignore
  const { vectors } = symmetricEigen(nmat, 4);
  const q = [vectors[0], vectors[4], vectors[8], vectors[12]];
  const qn = Math.hypot(...q);
  const rotation = rotationFromQuaternion(q[0] / qn, q[1] / qn, q[2] / qn, q[3] / qn);
  // scale = Σ w·dᵀR s / Σ w·|s|².
  let num = 0;
  for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) num += rotation[3 * b + a] * m[3 * a + b];
  const scale = num / varSrc;
  const rc = [0, 1, 2].map(
    (r) => rotation[3 * r] * cs[0] + rotation[3 * r + 1] * cs[1] + rotation[3 * r + 2] * cs[2],
  );
  const translation: [number, number, number] = [
    cd[0] - scale * rc[0],
    cd[1] - scale * rc[1],
    cd[2] - scale * rc[2],
  ];
  return { scale, rotation, translation };
}

export function applySimilarity(t: Similarity, points: ArrayLike<number>): Float32Array {
  const out = new Float32Array(points.length);
  const r = t.rotation;
  for (let i = 0; i < points.length; i += 3) {
    const [x, y, z] = [points[i], points[i + 1], points[i + 2]];
    for (let k = 0; k < 3; k++) {
      out[i + k] = t.scale * (r[3 * k] * x + r[3 * k + 1] * y + r[3 * k + 2] * z) + t.translation[k];
    }
  }
  return out;
}

/** Inverse map: src = Rᵀ (dst − translation) / scale. */
export function invertSimilarity(t: Similarity, points: ArrayLike<number>): Float32Array {
  const out = new Float32Array(points.length);
  const r = t.rotation;
  for (let i = 0; i < points.length; i += 3) {
    const d = [0, 1, 2].map((k) => points[i + k] - t.translation[k]);
    for (let k = 0; k < 3; k++) out[i + k] = (r[k] * d[0] + r[3 + k] * d[1] + r[6 + k] * d[2]) / t.scale;
  }
  return out;
}
