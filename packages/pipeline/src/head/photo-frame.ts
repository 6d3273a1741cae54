import { mat3Apply, mat3Transpose } from '../math/linalg.ts';
import type { Vec3 } from '../math/vec3.ts';
import type { Pose } from '../morphable/pose.ts';

/** How a head sits in the photo: its weak-perspective pose (fit/camera.ts). */
export interface PhotoFrame {
  camera: Pose;
}

/** Where a model point lies in the photo's frame: x, y its projection in pixels, z its depth. */
export function toPhotoFrame(frame: PhotoFrame, p: ArrayLike<number>): Vec3 {
  const { rotation, scale: s, translation: t } = frame.camera;
  const r = mat3Apply(rotation, p[0], p[1], p[2]);
  return [s * r[0] + t[0], s * r[1] + t[1], s * r[2] + t[2]];
}

/**
 * The camera ray through a photo pixel, in model space: `direction` is unit and points away from the
 * camera, so of two points on the ray the one with the smaller parameter is nearer the camera. Under
 * the weak pose every ray is parallel to the view axis.
 */
export function pixelRay(frame: PhotoFrame, pixel: readonly number[]): { origin: Vec3; direction: Vec3 } {
  const back = mat3Transpose(frame.camera.rotation);
  const { scale: s, translation: t } = frame.camera;
  return {
    origin: mat3Apply(back, (pixel[0] - t[0]) / s, (pixel[1] - t[1]) / s, 0),
    direction: mat3Apply(back, 0, 0, 1),
  };
}
