import { faceMeshTo68 } from './facemesh68.ts';
import { fitToPoints, type FitOptions, type LandmarkFit } from './fit.ts';
import { evaluateShape, type MorphableModel } from './model.ts';
import { transformPoints } from './pose.ts';
import { contourWeights, facingWeights } from './visibility.ts';

export interface DenseRefinement {
  fit: LandmarkFit;
  /** For each dense point, the model vertex it was matched to (-1: left out, or no vertex close enough). */
  correspondence: Int32Array;
  /** The points the refit solved for: the landmarks, then the matched dense points, with their weights. */
  targets: { vertices: Uint32Array; points: Float64Array; weights: Float64Array };
}

export interface DenseOptions extends FitOptions {
  /** Weight of a dense point relative to a landmark (matches slide along the surface). Default 0.25. */
  denseWeight?: number;
  /** Matches farther than this fraction of the inter-ocular distance are dropped. Default 0.05. */
  maxDistance?: number;
  /** Vertex region(s) to match against. Default ['face']. */
  regions?: string[];
  /** Weight every point by how squarely the start pose shows its vertex (visibility.ts). Default false. */
  visibility?: boolean;
  /** Factor on each landmark's weight in the refit [68] (default 1). */
  landmarkWeights?: ArrayLike<number>;
  /** Factor on each dense point's weight [n] (default 1); a point with 0 is not matched at all. */
  pointWeights?: ArrayLike<number>;
}

/**
 * Refines a landmark fit with dense points that carry depth (FaceMesh's 468 x, y, z in image pixels):
 * each point is matched to the nearest vertex of the fitted, posed model in 3-D (depths aligned by the
 * mean offset over the 68 landmarks, since FaceMesh's z has no fixed origin), then the fit is rerun on
 * the landmarks plus these matches.
 */
export function refineWithDensePoints(
  model: MorphableModel,
  start: LandmarkFit,
  landmarks: ArrayLike<number>,
  dense: ArrayLike<number>,
  options: DenseOptions = {},
): DenseRefinement {
  const {
    denseWeight = 0.25,
    maxDistance = 0.05,
    regions = ['face'],
    visibility = false,
    landmarkWeights,
    pointWeights,
    ...fitOptions
  } = options;
  const n = dense.length / 3;
  const shape = evaluateShape(model, start.identity, start.expression);
  const posed = transformPoints(start.pose, shape);
  // Depth offset between FaceMesh's z and the posed model, over the 68 landmarks.
  const lm3 = faceMeshTo68(dense, 3);
  let offset = 0;
  model.landmarks.forEach((v, i) => (offset += (posed[v * 3 + 2] - lm3[i * 3 + 2]) / 68));
  const iod = Math.hypot(landmarks[72] - landmarks[90], landmarks[73] - landmarks[91]);
  const limit2 = (maxDistance * iod) ** 2;
  const candidates: number[] = [];
  for (const name of regions) {
    const r = model.regions.find((x) => x.name === name);
    if (!r) throw new RangeError(`refineWithDensePoints: no region "${name}"`);
    for (let v = r.first; v <= r.last; v++) candidates.push(v);
  }
  // The candidates' posed positions side by side, in the candidates' order.
  const near = new Float64Array(candidates.length * 3);
  candidates.forEach((v, c) => near.set(posed.subarray(v * 3, v * 3 + 3), c * 3));
  const correspondence = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    if (pointWeights?.[i] === 0) continue;
    const x = dense[i * 3];
    const y = dense[i * 3 + 1];
    const z = dense[i * 3 + 2] + offset;
    let best = limit2;
    for (let c = 0; c < candidates.length; c++) {
      // The sum of squares is never below its first term, so such a vertex cannot be nearer.
      const dx2 = (near[c * 3] - x) ** 2;
      if (dx2 >= best) continue;
      const d = dx2 + (near[c * 3 + 1] - y) ** 2 + (near[c * 3 + 2] - z) ** 2;
      if (d < best) {
        best = d;
        correspondence[i] = candidates[c];
      }
    }
  }
  const vertices: number[] = Array.from(model.landmarks);
  const points: number[] = Array.from(landmarks);
  const weights: number[] = Array.from(vertices, (_, i) => landmarkWeights?.[i] ?? 1);
  correspondence.forEach((v, i) => {
    if (v < 0) return;
    vertices.push(v);
    points.push(dense[i * 3], dense[i * 3 + 1]);
    weights.push(denseWeight * (pointWeights?.[i] ?? 1));
  });
  if (visibility) {
    // The 68 landmarks: only the jaw line slides to the silhouette; dense points anywhere can.
    const lm = contourWeights(model, start.pose);
    const dense = facingWeights(model, start.pose, vertices.slice(lm.length));
    weights.forEach((_, i) => (weights[i] *= i < lm.length ? lm[i] : dense[i - lm.length]));
  }
  const fit = fitToPoints(model, { vertices, points, weights }, fitOptions);
  // Report the landmarks' projections, like a landmark fit does.
  return {
    fit: { ...fit, projected: fit.projected.slice(0, model.landmarks.length * 2) },
    correspondence,
    targets: {
      vertices: Uint32Array.from(vertices),
      points: Float64Array.from(points),
      weights: Float64Array.from(weights),
    },
  };
}
