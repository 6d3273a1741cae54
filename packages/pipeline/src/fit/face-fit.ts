import { canonicalFace, FACE_VERTEX_COUNT, type FaceMesh } from '../mesh/face-mesh.ts';
import { vertexNormals } from '../mesh/normals.ts';
import { Subdivision } from '../mesh/subdivide.ts';
import { headAngles, type WeakPerspectiveCamera } from './camera.ts';
import { applySimilarity, fitSimilarity, invertSimilarity } from './similarity.ts';

export type Landmarks = readonly (readonly [number, number, number])[];

export interface FaceFitOptions {
  /** Loop subdivision levels for a smooth surface (default 1: 880 → 3,520 triangles). */
  subdivisions?: number;
}

/** Pixel distances between fitted mesh vertices and the landmarks they stand for. */
export interface ReprojectionError {
  mean: number;
  max: number;
}

export interface FaceFit {
  camera: WeakPerspectiveCamera;
  angles: { yaw: number; pitch: number; roll: number };
  /** The fitted shape on the canonical topology in model units (canonical frame and scale) [468·3]. */
  shape: Float32Array;
  /** The subdivided shape in model space, with its UVs and triangles. */
  mesh: FaceMesh;
  /** The subdivision plan from the canonical topology to `mesh` (applies to any per-vertex data). */
  subdivision: Subdivision;
  /** Unit vertex normals of `mesh` in model space. */
  normals: Float32Array;
  /** `mesh` in the photo's camera frame (pixels) and its normals there. */
  cameraPositions: Float32Array;
  cameraNormals: Float32Array;
  /** Landmark vertices of the subdivided (smoothed) mesh against the landmarks, in image pixels. */
  reprojection: ReprojectionError;
  /** The canonical face under the fitted pose against the landmarks: how far this face is from it. */
  rigidResidual: ReprojectionError;
}

function landmarkArray(landmarks: Landmarks): Float64Array {
  if (landmarks.length !== FACE_VERTEX_COUNT) {
    throw new RangeError(`fitFace: ${landmarks.length} landmarks, FaceMesh gives ${FACE_VERTEX_COUNT}`);
  }
  const out = new Float64Array(FACE_VERTEX_COUNT * 3);
  landmarks.forEach((p, i) => {
    if (!p.every(Number.isFinite))
      throw new RangeError(`fitFace: landmark ${i} is not finite: [${p.join(', ')}]`);
    out.set(p, 3 * i);
  });
  return out;
}

/** Image-plane distances between the first 468 points of `points` and the landmarks. */
export function reprojectionError(
  points: ArrayLike<number>,
  landmarks: ArrayLike<number>,
): ReprojectionError {
  let sum = 0;
  let max = 0;
  for (let i = 0; i < FACE_VERTEX_COUNT; i++) {
    const d = Math.hypot(points[3 * i] - landmarks[3 * i], points[3 * i + 1] - landmarks[3 * i + 1]);
    sum += d;
    max = Math.max(max, d);
  }
  return { mean: sum / FACE_VERTEX_COUNT, max };
}

function rotateNormals(rotation: ArrayLike<number>, normals: Float32Array): Float32Array {
  const out = new Float32Array(normals.length);
  for (let i = 0; i < normals.length; i += 3) {
    for (let k = 0; k < 3; k++) {
      out[i + k] =
        rotation[3 * k] * normals[i] +
        rotation[3 * k + 1] * normals[i + 1] +
        rotation[3 * k + 2] * normals[i + 2];
    }
  }
  return out;
}

/**
 * Fits camera, head pose and shape to FaceMesh's 468 landmarks ([x, y, z] in image pixels, z relative
 * depth in the same scale): the similarity (scale, rotation, translation) that best maps the canonical
 * face onto the landmarks is the weak-perspective camera and pose (see camera.ts); the shape is the
 * landmarks themselves taken back into the canonical frame, so it keeps this face's proportions and
 * expression; Loop subdivision then smooths it for normals and rendering.
 */
export function fitFace(
  landmarks: Landmarks,
  image: { width: number; height: number },
  opts: FaceFitOptions = {},
): FaceFit {
  const target = landmarkArray(landmarks);
  const canonical = canonicalFace();
  const pose = fitSimilarity(canonical.positions, target);
  const camera: WeakPerspectiveCamera = { ...pose, width: image.width, height: image.height };
  const shape = invertSimilarity(pose, target);
  const subdivision = new Subdivision(canonical.triangles, FACE_VERTEX_COUNT, opts.subdivisions ?? 1);
  const mesh = subdivision.mesh({ ...canonical, positions: shape });
  const normals = vertexNormals(mesh.positions, mesh.triangles);
  const cameraPositions = applySimilarity(pose, mesh.positions);
  return {
    camera,
    angles: headAngles(pose),
    shape,
    mesh,
    subdivision,
    normals,
    cameraPositions,
    cameraNormals: rotateNormals(pose.rotation, normals),
    reprojection: reprojectionError(cameraPositions, target),
    rigidResidual: reprojectionError(applySimilarity(pose, canonical.positions), target),
  };
}
