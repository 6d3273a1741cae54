import { vertexNormals } from '../mesh/normals.ts';
import type { MorphableModel } from './model.ts';
import type { Pose } from './pose.ts';

const neutralNormals = new WeakMap<MorphableModel, Float32Array>();

/** Facing below LOW counts as hidden, above HIGH as fully seen; FLOOR keeps a hidden point's pull small but non-zero. */
const LOW = 0.05;
const HIGH = 0.35;
const FLOOR = 0.1;

/**
 * How much to trust a 2-D point that stands for each of `vertices` under `pose`: FaceMesh (like any
 * landmark detector) puts a self-occluded point — the far jaw line of a turned head — on the
 * silhouette, not where the vertex projects, so such points must not pull the fit. The weight is
 * FLOOR + (1 − FLOOR)·smoothstep(LOW, HIGH, facing), facing = −z of the neutral vertex normal rotated
 * by the pose (the camera looks along +z).
 */
export function facingWeights(model: MorphableModel, pose: Pose, vertices: ArrayLike<number>): Float64Array {
  let normals = neutralNormals.get(model);
  if (!normals) {
    normals = vertexNormals(model.neutral, model.triangles);
    neutralNormals.set(model, normals);
  }
  const r = pose.rotation;
  const out = new Float64Array(vertices.length);
  for (let i = 0; i < vertices.length; i++) {
    const v = vertices[i];
    const facing = -(r[6] * normals[3 * v] + r[7] * normals[3 * v + 1] + r[8] * normals[3 * v + 2]);
    const t = Math.min(1, Math.max(0, (facing - LOW) / (HIGH - LOW)));
    out[i] = FLOOR + (1 - FLOOR) * t * t * (3 - 2 * t);
  }
  return out;
}

/** The 68-point jaw contour (multi-PIE 0–16): the landmarks a detector puts on the silhouette when hidden. */
export const JAW_CONTOUR = Array.from({ length: 17 }, (_, i) => i);

/**
 * facingWeights for the jaw contour of the 68 landmarks, 1 for the inner face: eyes, nose and mouth
 * stay where a detector finds them even when a wing of the nose turns edge-on, so only the contour
 * (which a detector slides to the silhouette) is down-weighted.
 */
export function contourWeights(model: MorphableModel, pose: Pose): Float64Array {
  const out = new Float64Array(model.landmarks.length).fill(1);
  facingWeights(
    model,
    pose,
    JAW_CONTOUR.map((i) => model.landmarks[i]),
  ).forEach((w, i) => (out[JAW_CONTOUR[i]] = w));
  return out;
}
