// Small dense linear algebra in plain TypeScript (float64): what the fit needs, nothing more.

/** 3×3 matrix, row-major. */
export type Mat3 = [number, number, number, number, number, number, number, number, number];

export function mat3Mul(a: ArrayLike<number>, b: ArrayLike<number>): Mat3 {
  const o = new Array(9).fill(0) as Mat3;
  for (let i = 0; i < 3; i++)
    for (let j = 0; j < 3; j++) for (let k = 0; k < 3; k++) o[3 * i + j] += a[3 * i + k] * b[3 * k + j];
  return o;
}

export function mat3Transpose(a: ArrayLike<number>): Mat3 {
  return [a[0], a[3], a[6], a[1], a[4], a[7], a[2], a[5], a[8]];
}

export function mat3Apply(a: ArrayLike<number>, x: number, y: number, z: number): [number, number, number] {
  return [a[0] * x + a[1] * y + a[2] * z, a[3] * x + a[4] * y + a[5] * z, a[6] * x + a[7] * y + a[8] * z];
}

/** Angle in degrees of the rotation a·bᵀ (0 when a = b). */
export function rotationAngleBetween(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const r = mat3Mul(a, mat3Transpose(b));
  const c = Math.min(1, Math.max(-1, (r[0] + r[4] + r[8] - 1) / 2));
  return (Math.acos(c) * 180) / Math.PI;
}

/** Rotation by `angle` radians about a unit axis (Rodrigues). */
export function rotationAboutAxis(axis: [number, number, number], angle: number): Mat3 {
  const [x, y, z] = axis;
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  const t = 1 - c;
  return [
    t * x * x + c,
    t * x * y - s * z,
    t * x * z + s * y,
    t * x * y + s * z,
    t * y * y + c,
    t * y * z - s * x,
    t * x * z - s * y,
    t * y * z + s * x,
    t * z * z + c,
  ];
}

/**
 * Eigen-decomposition of a symmetric n×n matrix (row-major) by cyclic Jacobi rotations: eigenvalues
 * in descending order and the matching unit eigenvectors as columns of `vectors` (row-major n×n).
 */
export function symmetricEigen(a: ArrayLike<number>, n: number): { values: number[]; vectors: Float64Array } {
  const m = Float64Array.from(a);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += m[p * n + q] ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = m[p * n + q];
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (m[q * n + q] - m[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const mkp = m[k * n + p];
          const mkq = m[k * n + q];
          m[k * n + p] = c * mkp - s * mkq;
          m[k * n + q] = s * mkp + c * mkq;
        }
        for (let k = 0; k < n; k++) {
          const mpk = m[p * n + k];
          const mqk = m[q * n + k];
          m[p * n + k] = c * mpk - s * mqk;
          m[q * n + k] = s * mpk + c * mqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p];
          const vkq = v[k * n + q];
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => m[j * n + j] - m[i * n + i]);
  const vectors = new Float64Array(n * n);
  order.forEach((src, dst) => {
    for (let k = 0; k < n; k++) vectors[k * n + dst] = v[k * n + src];
  });
  return { values: order.map((i) => m[i * n + i]), vectors };
}

/** Solves the symmetric positive-definite system A x = b (A row-major n×n) by Cholesky. */
export function choleskySolve(a: ArrayLike<number>, b: ArrayLike<number>, n: number): Float64Array {
  return choleskySubstitute(choleskyFactor(a, n), b, n);
}

/**
 * The lower Cholesky factor L (row-major n×n) of A. Row i of L depends only on rows ≤ i of A, so rows
 * of a factor computed before stay valid while A's leading rows and columns are unchanged: `kept`
 * hands over the first `rows` rows of such a factor (row-major, side `side`), the rest are computed.
 * With `removed`, A is that factor's matrix without its row and column `rows`: entry (i, j) of L with
 * j < rows depends only on A's columns < rows, so every later row also keeps its first `rows` entries
 * (from the factor's next row) and only the rest are computed. Either way every entry is what a
 * factorisation from scratch gives, to the bit. Only A's lower triangle is read, and of it only the
 * entries computed here.
 */
export function choleskyFactor(
  a: ArrayLike<number>,
  n: number,
  kept?: { factor: Float64Array; side: number; rows: number; removed?: boolean },
): Float64Array {
  const l = new Float64Array(n * n);
  const from = kept ? Math.min(kept.rows, n) : 0;
  for (let i = 0; i < from; i++) l.set(kept!.factor.subarray(i * kept!.side, i * kept!.side + i + 1), i * n);
  const cols = kept?.removed ? from : 0;
  if (cols) {
    const { factor, side } = kept!;
    for (let i = from; i < n; i++) l.set(factor.subarray((i + 1) * side, (i + 1) * side + cols), i * n);
  }
  const pivot = (i: number, s: number) => {
    if (!(s > 0)) throw new RangeError(`choleskySolve: matrix is not positive definite (pivot ${i} = ${s})`);
    return Math.sqrt(s);
  };
  // Rows two at a time, and their entries two columns at a time: the four sums are independent chains
  // the CPU overlaps, and each reads the two rows' and the two columns' factors once for all four.
  // Each sum keeps its own order (column j + 1's last term, k = j, once column j is known), so the
  // bits are those of one entry at a time.
  let i = from;
  for (; i + 1 < n; i += 2) {
    const ri = i * n;
    const rn = ri + n;
    let j = cols;
    for (; j < i; j += 2) {
      const rj = j * n;
      const rk = rj + n;
      let s = a[ri + j];
      let t = a[rn + j];
      let s1 = a[ri + j + 1];
      let t1 = a[rn + j + 1];
      for (let k = 0; k < j; k++) {
        const lik = l[ri + k];
        const lnk = l[rn + k];
        const ljk = l[rj + k];
        const lkk = l[rk + k];
        s -= lik * ljk;
        t -= lnk * ljk;
        s1 -= lik * lkk;
        t1 -= lnk * lkk;
      }
      const lij = s / l[rj + j];
      const lnj = t / l[rj + j];
      l[ri + j] = lij;
      l[rn + j] = lnj;
      s1 -= lij * l[rk + j];
      t1 -= lnj * l[rk + j];
      if (j + 1 === i) l[ri + i] = pivot(i, s1);
      else l[ri + j + 1] = s1 / l[rk + j + 1];
      l[rn + j + 1] = t1 / l[rk + j + 1];
    }
    for (; j <= i; j++) {
      const rj = j * n;
      let s = a[ri + j];
      let t = a[rn + j];
      for (let k = 0; k < j; k++) {
        s -= l[ri + k] * l[rj + k];
        t -= l[rn + k] * l[rj + k];
      }
      if (j === i) l[ri + i] = pivot(i, s);
      else l[ri + j] = s / l[rj + j];
      l[rn + j] = t / l[rj + j];
    }
    let s = a[rn + i + 1];
    for (let k = 0; k <= i; k++) s -= l[rn + k] * l[rn + k];
    l[rn + i + 1] = pivot(i + 1, s);
  }
  if (i < n) {
    const ri = i * n;
    for (let j = cols; j <= i; j++) {
      const rj = j * n;
      let s = a[ri + j];
      for (let k = 0; k < j; k++) s -= l[ri + k] * l[rj + k];
      l[ri + j] = j === i ? pivot(i, s) : s / l[rj + j];
    }
  }
  return l;
}

/** x with L·Lᵀ·x = b for a factor from choleskyFactor. */
export function choleskySubstitute(l: Float64Array, b: ArrayLike<number>, n: number): Float64Array {
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i * n + k] * y[k];
    y[i] = s / l[i * n + i];
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < n; k++) s -= l[k * n + i] * x[k];
    x[i] = s / l[i * n + i];
  }
  return x;
}

/**
 * Accumulates the normal equations of a weighted least-squares problem one row at a time, then
 * solves (AᵀWA + λI) x = AᵀWb for several right-hand sides.
 */
export class NormalEquations {
  readonly ata: Float64Array;
  readonly atb: Float64Array[];
  rows = 0;

  constructor(
    readonly n: number,
    readonly rhs = 1,
  ) {
    this.ata = new Float64Array(n * n);
    this.atb = Array.from({ length: rhs }, () => new Float64Array(n));
  }

  add(row: ArrayLike<number>, b: ArrayLike<number>, weight = 1): void {
    const n = this.n;
    for (let i = 0; i < n; i++) {
      const wi = weight * row[i];
      if (wi === 0) continue;
      for (let j = 0; j < n; j++) this.ata[i * n + j] += wi * row[j];
      for (let r = 0; r < this.rhs; r++) this.atb[r][i] += wi * b[r];
    }
    this.rows++;
  }

  solve(ridge: number | ArrayLike<number> = 0): Float64Array[] {
    const a = Float64Array.from(this.ata);
    for (let i = 0; i < this.n; i++) a[i * this.n + i] += typeof ridge === 'number' ? ridge : ridge[i];
    return this.atb.map((b) => choleskySolve(a, b, this.n));
  }
}

export function mat3Det(a: ArrayLike<number>): number {
  return (
    a[0] * (a[4] * a[8] - a[5] * a[7]) -
    a[1] * (a[3] * a[8] - a[5] * a[6]) +
    a[2] * (a[3] * a[7] - a[4] * a[6])
  );
}

/** Rotation matrix of the axis-angle vector r (its direction the axis, its length the angle). */
export function rotationFromAxisAngle(r: ArrayLike<number>): Mat3 {
  const theta = Math.hypot(r[0], r[1], r[2]);
  if (theta < 1e-15) return [1, 0, 0, 0, 1, 0, 0, 0, 1];
  return rotationAboutAxis([r[0] / theta, r[1] / theta, r[2] / theta], theta);
}

/** Rotation matrix of a unit quaternion (w, x, y, z). */
export function rotationFromQuaternion(w: number, x: number, y: number, z: number): Mat3 {
  return [
    1 - 2 * (y * y + z * z),
    2 * (x * y - w * z),
    2 * (x * z + w * y),
    2 * (x * y + w * z),
    1 - 2 * (x * x + z * z),
    2 * (y * z - w * x),
    2 * (x * z - w * y),
    2 * (y * z + w * x),
    1 - 2 * (x * x + y * y),
  ];
}
