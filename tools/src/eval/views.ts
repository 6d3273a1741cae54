/**
 * Cameras, poses and lights of the evaluation (pure). Subjects are in metres, y up, face towards +z.
 */
import type { Similarity } from '@avatarme/pipeline/fit/similarity.ts';
import { lookAt, multiply, perspective, type Mat4 } from '@avatarme/pipeline/skin-render/math.ts';

export interface Camera {
  name: string;
  viewProj: Mat4;
  eye: [number, number, number];
  /** Model matrix applied to the subject (a head pose); ours get it after their alignment. */
  model: Mat4;
}

/** A photo's head pose, degrees: yaw turns the face to its left, pitch lifts the chin. */
export interface Pose {
  yaw: number;
  pitch: number;
}

/** Vertical field of view and camera distance: a portrait lens at arm's length (≈ 50 mm equivalent at 0.8 m). */
export const FOV_DEG = 25;
export const DISTANCE_M = 0.8;

const rad = (d: number) => (d * Math.PI) / 180;

export function translation(t: readonly number[]): Mat4 {
  const m = new Float32Array(16);
  m[0] = m[5] = m[10] = m[15] = 1;
  m.set(t.slice(0, 3), 12);
  return m;
}

export function rotationYX(yawDeg: number, pitchDeg: number): Mat4 {
  const [cy, sy, cp, sp] = [
    Math.cos(rad(yawDeg)),
    Math.sin(rad(yawDeg)),
    Math.cos(rad(pitchDeg)),
    Math.sin(rad(pitchDeg)),
  ];
  // R = Ry(yaw) · Rx(−pitch), column-major.
  const ry = new Float32Array([cy, 0, -sy, 0, 0, 1, 0, 0, sy, 0, cy, 0, 0, 0, 0, 1]);
  const rx = new Float32Array([1, 0, 0, 0, 0, cp, -sp, 0, 0, sp, cp, 0, 0, 0, 0, 1]);
  return multiply(ry, rx);
}

/** The similarity as a column-major 4×4 (its rotation is row-major). */
export function similarityMatrix(s: Similarity): Mat4 {
  const m = new Float32Array(16);
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) m[c * 4 + r] = s.scale * s.rotation[r * 3 + c];
    m[12 + r] = s.translation[r];
  }
  m[15] = 1;
  return m;
}

/** The photo's camera: fixed, frontal; the head turned by the pose about its centre. */
export function photoCamera(centre: readonly number[], pose: Pose): Camera {
  const eye: [number, number, number] = [centre[0], centre[1], centre[2] + DISTANCE_M];
  const model = multiply(
    translation(centre),
    multiply(rotationYX(pose.yaw, pose.pitch), translation(centre.map((v) => -v))),
  );
  return {
    name: `photo yaw ${pose.yaw}° pitch ${pose.pitch}°`,
    viewProj: multiply(perspective(rad(FOV_DEG), 1, 0.05, 5), lookAt(eye, centre, [0, 1, 0])),
    eye,
    model,
  };
}

/** A camera orbiting the head (azimuth about y, elevation), the head unposed. */
export function orbitCamera(centre: readonly number[], azimuthDeg: number, elevationDeg: number): Camera {
  const [a, e] = [rad(azimuthDeg), rad(elevationDeg)];
  const eye: [number, number, number] = [
    centre[0] + DISTANCE_M * Math.sin(a) * Math.cos(e),
    centre[1] + DISTANCE_M * Math.sin(e),
    centre[2] + DISTANCE_M * Math.cos(a) * Math.cos(e),
  ];
  const model = new Float32Array(16);
  model[0] = model[5] = model[10] = model[15] = 1;
  return {
    name: `novel az ${azimuthDeg}° el ${elevationDeg}°`,
    viewProj: multiply(perspective(rad(FOV_DEG), 1, 0.05, 5), lookAt(eye, centre, [0, 1, 0])),
    eye,
    model,
  };
}

/** The two novel views: neither is a photo pose. */
export const NOVEL_VIEWS: [number, number][] = [
  [-32, 12],
  [28, -8],
];

/** Photo poses: the default set uses the first two, --full all. */
export const POSES: Pose[] = [
  { yaw: 0, pitch: 0 },
  { yaw: 20, pitch: 5 },
  { yaw: 40, pitch: 0 },
  { yaw: -20, pitch: -10 },
];

/**
 * The photos are lit by the eval's own CC0 HDR environments (hdri/README.md), each turned about the
 * vertical by a seeded angle; the relighting metric uses the renderer's bundled ones, so no avatar is
 * scored under a light any photo was taken in.
 */
export const PHOTO_ENVIRONMENTS = ['forest', 'lobby', 'sunset'] as const;
export type PhotoEnvironmentName = (typeof PHOTO_ENVIRONMENTS)[number];
export const RELIGHT_ENVIRONMENTS = ['studio', 'city', 'apartment'] as const;
