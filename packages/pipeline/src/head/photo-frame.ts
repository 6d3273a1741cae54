import { mat3Apply, mat3Transpose } from '../math/linalg.ts';
import type { Vec3 } from '../math/vec3.ts';
import type { Pose } from '../morphable/pose.ts';

/**
 * The camera ray through a photo pixel, in model space: `direction` is unit and points away from the
 * camera, so of two points on the ray the one with the smaller parameter is nearer the camera. Under
 * the weak pose every ray is parallel to the view axis.
 */
export function pixelRay(camera: Pose, pixel: readonly number[]): { origin: Vec3; direction: Vec3 } {
  const back = mat3Transpose(camera.rotation);
  const { scale: s, translation: t } = camera;
  return {
    origin: mat3Apply(back, (pixel[0] - t[0]) / s, (pixel[1] - t[1]) / s, 0),
    direction: mat3Apply(back, 0, 0, 1),
  };
}
