import { mat3Apply, mat3Transpose, type Mat3 } from '../math/linalg.ts';
import { normalize, type Vec3 } from '../math/vec3.ts';
import type { Pose } from '../morphable/pose.ts';

/**
 * A pinhole camera fitted to the photo (the photometric fit estimates it): camera point = rotation ·
 * model point + translation (centimetres, z away from the camera), photo pixel = focal · (x, y) / z +
 * centre.
 */
export interface PerspectiveCamera {
  rotation: Mat3;
  translation: Vec3;
  /** Pixels. */
  focal: number;
  /** Principal point, pixels. */
  centre: [number, number];
}

/**
 * How a head sits in the photo: its weak-perspective pose and, when a fit estimated one, the
 * perspective camera with the same rotation that places it in the photo more exactly.
 */
export interface PhotoFrame {
  camera: Pose;
  perspective?: PerspectiveCamera;
}

/**
 * Where a model point lies in the photo's frame: x, y its projection in pixels (under the perspective
 * camera when there is one), z the weak pose's depth. Depth only orders surfaces, and the weak pose's
 * keeps the surfaces a perspective warp would bend (the warp sends the camera centre to infinity)
 * ordered as they are in space.
 */
export function toPhotoFrame(frame: PhotoFrame, p: ArrayLike<number>): Vec3 {
  const { camera, perspective } = frame;
  const r = mat3Apply(camera.rotation, p[0], p[1], p[2]);
  const z = camera.scale * r[2] + camera.translation[2];
  if (!perspective)
    return [camera.scale * r[0] + camera.translation[0], camera.scale * r[1] + camera.translation[1], z];
  const { rotation: R, translation: t, focal, centre } = perspective;
  const c = mat3Apply(R, p[0], p[1], p[2]);
  const depth = c[2] + t[2];
  return [(focal * (c[0] + t[0])) / depth + centre[0], (focal * (c[1] + t[1])) / depth + centre[1], z];
}

/**
 * The camera ray through a photo pixel, in model space: `direction` is unit and points away from the
 * camera, so of two points on the ray the one with the smaller parameter is nearer the camera. Under
 * the weak pose every ray is parallel to the view axis.
 */
export function pixelRay(frame: PhotoFrame, pixel: readonly number[]): { origin: Vec3; direction: Vec3 } {
  const { camera, perspective } = frame;
  if (perspective) {
    const { rotation, translation: t, focal, centre } = perspective;
    const back = mat3Transpose(rotation);
    const d = mat3Apply(back, (pixel[0] - centre[0]) / focal, (pixel[1] - centre[1]) / focal, 1);
    return { origin: mat3Apply(back, -t[0], -t[1], -t[2]), direction: normalize(d) };
  }
  const back = mat3Transpose(camera.rotation);
  const { scale: s, translation: t } = camera;
  return {
    origin: mat3Apply(back, (pixel[0] - t[0]) / s, (pixel[1] - t[1]) / s, 0),
    direction: mat3Apply(back, 0, 0, 1),
  };
}
