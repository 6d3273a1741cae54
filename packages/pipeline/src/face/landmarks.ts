import { affineWarp } from '@avatarme/kernels';
import type { DetectedFace } from './detect.ts';
import type { FaceImage } from './image.ts';
import type { FaceModels } from './models.ts';
import { applyAffine, cropToImage, faceRoi, roiFromLandmarks, type FaceRoi } from './roi.ts';

export const MESH_INPUT = 192;
export const MESH_POINTS = 468;

export interface FaceLandmarks {
  /** 468 points [x, y, z] in image pixels; z is relative depth in the same pixel scale as x. */
  landmarks: [number, number, number][];
  /** FaceMesh's face-presence score in [0, 1] (the graph already applies the sigmoid). */
  presence: number;
  /** The rotated square the mesh model saw. */
  roi: FaceRoi;
}

export interface LandmarkOptions {
  /** ROI side as a multiple of the box's long side (MediaPipe: 1.5). */
  roiScale?: number;
  /** Rotate the crop so the eyes are level (MediaPipe: yes). */
  rotate?: boolean;
  /**
   * FaceMesh passes (default 2): the second runs on a crop made from the first pass's points, as
   * MediaPipe's tracking does, which re-centres and re-scales small or turned faces the detector's
   * coarse box frames loosely.
   */
  passes?: 1 | 2;
}

/** Crop size × crop size pixels of the photo inside `roi`, bilinear, edges replicated, values as in the photo. */
export function cropRoi(image: FaceImage, roi: FaceRoi, size: number) {
  return affineWarp(image.tensor.ctx, image.tensor, {
    matrix: cropToImage(roi, size),
    height: size,
    width: size,
    border: 'replicate',
  });
}

/** Maps FaceMesh's crop-pixel output (x, y, z per point) back to the photo. */
export function meshToImage(mesh: Float32Array, roi: FaceRoi, cropSize: number): [number, number, number][] {
  const m = cropToImage(roi, cropSize);
  const zScale = roi.size / cropSize;
  const out: [number, number, number][] = [];
  for (let i = 0; i + 2 < mesh.length; i += 3) {
    const [x, y] = applyAffine(m, mesh[i], mesh[i + 1]);
    out.push([x, y, mesh[i + 2] * zScale]);
  }
  return out;
}

/**
 * FaceMesh on one detected face (reference-facts §5.2): ROI from the box and the eye keypoints, the
 * 192×192 crop warped on the GPU, 468 points mapped back to image pixels; then, by default, once more
 * on the ROI of those points (roiFromLandmarks).
 */
export async function faceLandmarks(
  models: FaceModels,
  image: FaceImage,
  face: DetectedFace,
  opts: LandmarkOptions = {},
): Promise<FaceLandmarks> {
  const roi = faceRoi(face.box, [face.keypoints[0], face.keypoints[1]], {
    scale: opts.roiScale,
    rotate: opts.rotate,
  });
  const first = await landmarksInRoi(models, image, roi);
  if ((opts.passes ?? 2) === 1) return first;
  return landmarksInRoi(models, image, roiFromLandmarks(first.landmarks, opts.roiScale));
}

async function landmarksInRoi(models: FaceModels, image: FaceImage, roi: FaceRoi): Promise<FaceLandmarks> {
  const mesh = await models.mesh();
  const crop = cropRoi(image, roi, MESH_INPUT);
  const outs = mesh.run(crop);
  crop.dispose();
  try {
    const points = await outs.output_mesh.tensor.read();
    const [presence] = await outs.output_faceflag.tensor.read();
    if (points.length !== MESH_POINTS * 3)
      throw new Error(`FaceMesh: ${points.length} values, expected ${MESH_POINTS * 3}`);
    return { landmarks: meshToImage(points, roi, MESH_INPUT), presence, roi };
  } finally {
    for (const o of Object.values(outs)) o.tensor.dispose();
  }
}
