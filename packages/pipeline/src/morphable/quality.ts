import { fitToLandmarks, type FitOptions, type LandmarkFit } from './fit.ts';
import type { MorphableModel } from './model.ts';

/** Landmark reprojection error, in pixels and as % of the inter-ocular distance. */
export interface LandmarkError {
  meanPx: number;
  rmsPx: number;
  maxPx: number;
  /** Distance between the outer eye corners (68-point 36 and 45) of the reference landmarks. */
  interOcularPx: number;
  /** meanPx as a percentage of interOcularPx (the 300-W normalisation). */
  meanPctInterOcular: number;
}

/** Errors between fitted image positions and reference landmarks, both [68·2]. */
export function landmarkError(fitted: ArrayLike<number>, reference: ArrayLike<number>): LandmarkError {
  const n = reference.length / 2;
  if (fitted.length !== reference.length || n !== 68) {
    throw new RangeError(
      `landmarkError: expected two arrays of 68×2 values, got ${fitted.length} and ${reference.length}`,
    );
  }
  let sum = 0;
  let sq = 0;
  let max = 0;
  for (let i = 0; i < n; i++) {
    const d = Math.hypot(fitted[i * 2] - reference[i * 2], fitted[i * 2 + 1] - reference[i * 2 + 1]);
    sum += d;
    sq += d * d;
    max = Math.max(max, d);
  }
  const iod = Math.hypot(
    reference[36 * 2] - reference[45 * 2],
    reference[36 * 2 + 1] - reference[45 * 2 + 1],
  );
  return {
    meanPx: sum / n,
    rmsPx: Math.sqrt(sq / n),
    maxPx: max,
    interOcularPx: iod,
    meanPctInterOcular: (100 * sum) / n / iod,
  };
}

/** What report.json gets: the fit's landmark error next to the rigid-only (neutral shape) fit's. */
export interface FitQuality {
  rigidOnly: LandmarkError;
  fitted: LandmarkError;
  maxAbsIdentity: number;
  maxAbsExpression: number;
}

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

/**
 * Fits `landmarks` [68·2] twice — rigid pose of the neutral shape, then pose + identity + expression —
 * and measures both against `reference` (the same landmarks unless a cleaner reference is known).
 */
export function fitQuality(
  model: MorphableModel,
  landmarks: ArrayLike<number>,
  options: FitOptions = {},
  reference: ArrayLike<number> = landmarks,
): { fit: LandmarkFit; quality: FitQuality } {
  const rigid = fitToLandmarks(model, landmarks, { ...options, rigidOnly: true });
  const fit = fitToLandmarks(model, landmarks, options);
  return {
    fit,
    quality: {
      rigidOnly: landmarkError(rigid.projected, reference),
      fitted: landmarkError(fit.projected, reference),
      maxAbsIdentity: maxAbs(fit.identity),
      maxAbsExpression: maxAbs(fit.expression),
    },
  };
}
