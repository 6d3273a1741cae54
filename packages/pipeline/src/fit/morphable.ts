import { FACE_VERTEX_COUNT } from '../mesh/face-mesh.ts';
import type { Landmarks } from './face-fit.ts';
import { NormalEquations } from '../math/linalg.ts';
import { applySimilarity, fitSimilarity, type Similarity } from './similarity.ts';

/**
 * A user-supplied linear shape model that can replace the default shape: shape = mean + Σ_k w_k·B_k.
 * Any model fits this interface (the ICT head model, a 3DMM …) once its FaceMesh correspondence is known.
 */
export interface LinearShapeModel {
  /** [V·3] mean shape, in the canonical face's frame (x right, y up, z to the viewer). */
  mean: Float32Array;
  /** [K·V·3] modes, mode-major: mode k of vertex v, axis a at (k·V + v)·3 + a. */
  basis: Float32Array;
  modes: number;
  /** For FaceMesh landmark i (0..467) the model vertex it corresponds to, or −1 when it has none. */
  landmarkVertices: Int32Array;
  /** Prior standard deviation per mode (default 1): the regulariser is Σ (w_k / σ_k)². */
  sigma?: Float32Array;
}

export interface MorphableFitOptions {
  /** Weight λ of the prior against the landmark residual in pixels² (default 1). */
  lambda?: number;
  /** Weight of FaceMesh's relative depth against x, y (default 0.5: it is noisier). */
  depthWeight?: number;
  /** Alternations of pose and shape (default 4). */
  iterations?: number;
}

export interface MorphableFit {
  weights: Float32Array;
  /** [V·3] fitted shape in model space. */
  shape: Float32Array;
  pose: Similarity;
  /** Mean image-plane distance (pixels) between the model's landmark vertices and the landmarks. */
  residual: number;
}

function landmarkPoints(
  model: LinearShapeModel,
  shape: Float32Array,
): { ids: number[]; points: Float64Array } {
  const ids: number[] = [];
  for (let i = 0; i < FACE_VERTEX_COUNT; i++) if (model.landmarkVertices[i] >= 0) ids.push(i);
  const points = new Float64Array(ids.length * 3);
  ids.forEach((i, j) => {
    const v = model.landmarkVertices[i];
    points.set([shape[3 * v], shape[3 * v + 1], shape[3 * v + 2]], 3 * j);
  });
  return { ids, points };
}

function evaluate(model: LinearShapeModel, w: ArrayLike<number>): Float32Array {
  const shape = Float32Array.from(model.mean);
  const n = model.mean.length;
  for (let k = 0; k < model.modes; k++) {
    if (w[k] === 0) continue;
    for (let i = 0; i < n; i++) shape[i] += w[k] * model.basis[k * n + i];
  }
  return shape;
}

/**
 * Fits a linear shape model to the landmarks by alternating (1) the rotation, from the similarity that
 * maps the current shape's landmark vertices onto the landmarks, and (2) with the rotation fixed, one
 * linear regularised least-squares solve for scale s, translation t and the weights w together (the
 * residual s·R·m_i + R·B_i·(s·w) + t − l_i is linear in s, t and u = s·w, so scale and modes that
 * resemble a scaling do not fight over the fit):
 *   min Σ_i |s·R·(m_i + B_i w) + t − l_i|²_(x, y, depthWeight·z) + λ·Σ_k (w_k/σ_k)².
 */
export function fitLinearShapeModel(
  model: LinearShapeModel,
  landmarks: Landmarks,
  opts: MorphableFitOptions = {},
): MorphableFit {
  const lambda = opts.lambda ?? 1;
  const dw = opts.depthWeight ?? 0.5;
  const V = model.mean.length / 3;
  const K = model.modes;
  if (model.basis.length !== K * V * 3 || model.landmarkVertices.length !== FACE_VERTEX_COUNT) {
    throw new RangeError(
      `fitLinearShapeModel: basis has ${model.basis.length} values for ${K} modes × ${V} vertices, landmarkVertices ${model.landmarkVertices.length} (need ${FACE_VERTEX_COUNT})`,
    );
  }
  const target = new Float64Array(landmarks.flatMap((p) => [...p]));
  let weights = new Float32Array(K);
  let shape = evaluate(model, weights);
  const { ids, points } = landmarkPoints(model, shape);
  const tgt = new Float64Array(ids.flatMap((i) => [target[3 * i], target[3 * i + 1], target[3 * i + 2]]));
  let pose = fitSimilarity(points, tgt);
  const axisWeight = [1, 1, dw * dw];
  const row = new Float64Array(4 + K);
  for (let it = 0; it < (opts.iterations ?? 4); it++) {
    const r = pose.rotation;
    const eq = new NormalEquations(4 + K);
    for (const i of ids) {
      const v = model.landmarkVertices[i];
      const m = [0, 1, 2].map((a) => model.mean[3 * v + a]);
      for (let a = 0; a < 3; a++) {
        row.fill(0);
        row[0] = r[3 * a] * m[0] + r[3 * a + 1] * m[1] + r[3 * a + 2] * m[2];
        row[1 + a] = 1;
        for (let k = 0; k < K; k++) {
          const b = (k * V + v) * 3;
          row[4 + k] =
            r[3 * a] * model.basis[b] + r[3 * a + 1] * model.basis[b + 1] + r[3 * a + 2] * model.basis[b + 2];
        }
        eq.add(row, [target[3 * i + a]], axisWeight[a]);
      }
    }
    // λ·(w/σ)² = λ·(u/(s·σ))²: the previous scale turns the prior on w into one on u = s·w.
    const ridge = Array.from({ length: 4 + K }, (_, j) =>
      j < 4 ? 0 : lambda / (pose.scale * (model.sigma?.[j - 4] ?? 1)) ** 2,
    );
    const x = eq.solve(ridge)[0];
    const scale = x[0];
    weights = Float32Array.from({ length: K }, (_, k) => x[4 + k] / scale);
    shape = evaluate(model, weights);
    const lm = landmarkPoints(model, shape).points;
    // Next rotation from the new shape; scale and translation as solved.
    pose = { ...fitSimilarity(lm, tgt), scale, translation: [x[1], x[2], x[3]] };
  }
  const projected = applySimilarity(pose, landmarkPoints(model, shape).points);
  let sum = 0;
  ids.forEach((i, j) => {
    sum += Math.hypot(projected[3 * j] - target[3 * i], projected[3 * j + 1] - target[3 * i + 1]);
  });
  return { weights, shape, pose, residual: sum / ids.length };
}
