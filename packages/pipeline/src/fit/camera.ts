import { mat3Mul, type Mat3 } from '../math/linalg.ts';
import type { Similarity } from './similarity.ts';

/**
 * The camera of the fit: weak perspective (scaled orthographic) in the photo's pixel frame — x right,
 * y down, z away from the camera, all in pixels: camera point = scale · R · model point + translation,
 * and the image point is its (x, y).
 *
 * Why weak perspective: FaceMesh regresses x, y in pixels and z "in the same scale as x", i.e. an
 * orthographic description of the face in which perspective is already baked into the shape. A weak-
 * perspective camera reproduces those landmarks exactly; a full perspective camera would add a focal
 * length that 468 landmarks of one photo barely constrain (the face is ~15 cm deep, typically 40–100 cm
 * away), so its errors would show up as shape distortion for no gain in reprojection.
 */
export interface WeakPerspectiveCamera extends Similarity {
  width: number;
  height: number;
}

/** MediaPipe's model frame (x to the viewer's right, y up, z to the viewer) seen head-on in the camera frame. */
export const FRONTAL: Mat3 = [1, 0, 0, 0, -1, 0, 0, 0, -1];

/**
 * Head rotation relative to a frontal view, in degrees, as R = Rz(roll)·Rx(pitch)·Ry(yaw)·FRONTAL with
 * right-handed rotations about the camera frame's axes (y down, z away from the camera).
 */
export function headAngles(camera: Similarity): { yaw: number; pitch: number; roll: number } {
  const r = mat3Mul(camera.rotation, FRONTAL);
  const deg = 180 / Math.PI;
  return {
    yaw: Math.atan2(-r[6], r[8]) * deg,
    pitch: Math.asin(Math.max(-1, Math.min(1, r[7]))) * deg,
    roll: Math.atan2(-r[1], r[4]) * deg,
  };
}

/**
 * Clip-space positions [V·4] for the rasteriser from camera-frame points [V·3]: x, y map pixels to NDC
 * (row y ↔ NDC 2y/H − 1, the rasteriser's convention), z maps [zNear, zFar] to [−1, 1], w = 1.
 */
export function clipPositions(
  camera: Pick<WeakPerspectiveCamera, 'width' | 'height'>,
  points: ArrayLike<number>,
  depthRange: [number, number],
): Float32Array {
  const n = points.length / 3;
  const out = new Float32Array(n * 4);
  const [z0, z1] = depthRange;
  for (let i = 0; i < n; i++) {
    out[4 * i] = (2 * points[3 * i]) / camera.width - 1;
    out[4 * i + 1] = (2 * points[3 * i + 1]) / camera.height - 1;
    out[4 * i + 2] = ((points[3 * i + 2] - z0) / (z1 - z0)) * 2 - 1;
    out[4 * i + 3] = 1;
  }
  return out;
}

/** A depth range that holds every point with a 10% margin on both sides. */
export function depthRangeOf(points: ArrayLike<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 2; i < points.length; i += 3) {
    lo = Math.min(lo, points[i]);
    hi = Math.max(hi, points[i]);
  }
  const margin = Math.max(1e-3, (hi - lo) * 0.1);
  return [lo - margin, hi + margin];
}
