import { describe, expect, it } from 'vitest';
import { rotationFromAxisAngle } from '../math/linalg.ts';
import { FACEMESH_TO_68 } from './facemesh68.ts';
import {
  FACEMESH_INNER_LIP,
  innerLipGap68,
  lipGap,
  MOUTH_OPEN_RAMP,
  mouthOpenness,
  OPEN_EXPRESSION_SIGMA,
  OPEN_INNER_LIP_WEIGHT,
  openMouthExpressionSigma,
  openMouthWeights,
} from './mouth-open.ts';

/**
 * FaceMesh-like points [468·3] of a face whose outer eye corners (33, 263) are 60 px apart and whose
 * facing inner-lip points (82/87, 13/14, 312/317) are `gapPx` apart; every other point at the origin.
 */
function face(gapPx: number): Float64Array {
  const p = new Float64Array(468 * 3);
  p.set([-30, -20, 0], 3 * 33);
  p.set([30, -20, 0], 3 * 263);
  [82, 13, 312].forEach((i, k) => p.set([(k - 1) * 8, 30, -5], 3 * i));
  [87, 14, 317].forEach((i, k) => p.set([(k - 1) * 8, 30 + gapPx, -5], 3 * i));
  return p;
}

function rotated(points: Float64Array, axis: [number, number, number], degrees: number): Float64Array {
  const r = rotationFromAxisAngle(axis.map((a) => (a * degrees * Math.PI) / 180));
  const out = new Float64Array(points.length);
  for (let i = 0; i < points.length; i += 3)
    for (let k = 0; k < 3; k++)
      out[i + k] = r[3 * k] * points[i] + r[3 * k + 1] * points[i + 1] + r[3 * k + 2] * points[i + 2];
  return out;
}

describe('lipGap', () => {
  it('is the inner lips’ gap over the eye corners’ distance, the same for a turned or tilted face', () => {
    expect(lipGap(face(0))).toBe(0);
    expect(lipGap(face(6))).toBeCloseTo(0.1, 12);
    // A 2-D measure would read 30° of yaw as a 15 % wider gap, 30° of pitch as 13 % narrower.
    expect(lipGap(rotated(face(6), [0, 1, 0], 30))).toBeCloseTo(0.1, 12);
    expect(lipGap(rotated(face(6), [1, 0, 0], 30))).toBeCloseTo(0.1, 12);
  });
});

describe('mouthOpenness', () => {
  it('is exactly 0 up to the closed end of the ramp, 1 from the open end, a monotone step between', () => {
    const { closed, open } = MOUTH_OPEN_RAMP;
    for (const g of [0, 0.01, 0.021, closed]) expect(mouthOpenness(g)).toBe(0);
    for (const g of [open, 0.125, 1]) expect(mouthOpenness(g)).toBe(1);
    expect(mouthOpenness((closed + open) / 2)).toBeCloseTo(0.5, 12);
    const steps = Array.from({ length: 21 }, (_, i) => mouthOpenness(closed + ((open - closed) * i) / 20));
    steps.slice(1).forEach((t, i) => expect(t).toBeGreaterThan(steps[i]));
  });
});

describe('openMouthWeights', () => {
  it('leaves every weight at exactly 1 for a closed mouth', () => {
    const w = openMouthWeights(mouthOpenness(lipGap(face(1))));
    expect(Array.from(w.landmarks).every((x) => x === 1)).toBe(true);
    expect(Array.from(w.dense).every((x) => x === 1)).toBe(true);
  });

  it('weights the inner-lip landmarks fully and drops the inner-lip loop for a clearly open one', () => {
    const w = openMouthWeights(mouthOpenness(lipGap(face(7.5))));
    const innerLips68 = new Set([60, 61, 62, 63, 64, 65, 66, 67]);
    w.landmarks.forEach((x, i) => expect(x).toBe(innerLips68.has(i) ? OPEN_INNER_LIP_WEIGHT : 1));
    const loop = new Set(FACEMESH_INNER_LIP);
    w.dense.forEach((x, i) => expect(x).toBe(loop.has(i) ? 0 : 1));
  });

  it('drops the FaceMesh points that the 68-point table takes the inner lips from', () => {
    const loop = new Set(FACEMESH_INNER_LIP);
    for (let i = 60; i < 68; i++) for (const j of FACEMESH_TO_68[i]) expect(loop.has(j)).toBe(true);
  });
});

describe('openMouthExpressionSigma', () => {
  it('is the fit’s own σ, to the bit, for closed lips and OPEN_EXPRESSION_SIGMA for open ones', () => {
    for (const closed of [0.2, 0.1234567]) {
      expect(openMouthExpressionSigma(closed, mouthOpenness(lipGap(face(1))))).toBe(closed);
      expect(openMouthExpressionSigma(closed, 1)).toBeCloseTo(OPEN_EXPRESSION_SIGMA, 12);
      expect(openMouthExpressionSigma(closed, 0.5)).toBeCloseTo((closed + OPEN_EXPRESSION_SIGMA) / 2, 12);
    }
  });

  it('never tightens a prior already looser than the open mouth’s', () => {
    for (const t of [0, 0.5, 1]) expect(openMouthExpressionSigma(1, t)).toBe(1);
  });
});

describe('innerLipGap68', () => {
  it('is the mean distance of the facing inner-lip landmarks', () => {
    const p = new Float64Array(68 * 2);
    [61, 62, 63].forEach((i, k) => p.set([k * 5, 10], 2 * i));
    [67, 66, 65].forEach((i, k) => p.set([k * 5, 10 + [3, 6, 3][k]], 2 * i));
    expect(innerLipGap68(p)).toBeCloseTo(4, 12);
  });
});
