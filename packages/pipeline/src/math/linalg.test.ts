import { describe, expect, it } from 'vitest';
import { choleskyFactor } from './linalg.ts';

/** The textbook factorisation, one entry at a time, each sum over k in increasing order. */
function textbookCholesky(a: Float64Array, n: number): Float64Array {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      let s = a[i * n + j];
      for (let k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
      l[i * n + j] = j === i ? Math.sqrt(s) : s / l[j * n + j];
    }
  return l;
}

/** A well-conditioned random SPD matrix X·Xᵀ + 0.1·I (fixed seed). */
function randomSpd(n: number, seed: number): Float64Array {
  let state = seed;
  const random = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648 - 0.5;
  const m = n + 5;
  const x = Float64Array.from({ length: n * m }, random);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = i === j ? 0.1 : 0;
      for (let k = 0; k < m; k++) s += x[i * m + k] * x[j * m + k];
      a[i * n + j] = s;
    }
  return a;
}

function withoutRowAndColumn(a: Float64Array, n: number, r: number): Float64Array {
  const out: number[] = [];
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== r && j !== r) out.push(a[i * n + j]);
  return Float64Array.from(out);
}

const expectSameBits = (got: Float64Array, want: Float64Array) => {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < got.length; i++)
    if (!Object.is(got[i], want[i])) expect([i, got[i]]).toEqual([i, want[i]]);
};

describe('choleskyFactor', () => {
  // Sizes of every parity (rows and columns are factored in pairs), and the fit's (6 + 153).
  const sizes = [1, 2, 3, 4, 5, 6, 7, 8, 9, 40, 41, 159];

  it('gives the textbook factor to the bit', () => {
    for (const n of sizes) {
      const a = randomSpd(n, n);
      expectSameBits(choleskyFactor(a, n), textbookCholesky(a, n));
    }
  });

  it('gives it to the bit from kept rows, and after removing a row and column', () => {
    for (const n of sizes) {
      const a = randomSpd(n, 100 + n);
      const factor = choleskyFactor(a, n);
      for (const rows of new Set([0, 1, 2, 3, n >> 1, n - 1].filter((r) => r >= 0 && r < n))) {
        expectSameBits(choleskyFactor(a, n, { factor, side: n, rows }), textbookCholesky(a, n));
        if (n === 1) continue;
        const b = withoutRowAndColumn(a, n, rows);
        expectSameBits(
          choleskyFactor(b, n - 1, { factor, side: n, rows, removed: true }),
          textbookCholesky(b, n - 1),
        );
      }
    }
  });
});
