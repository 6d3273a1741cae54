import { affineWarp } from '@avatarme/kernels';
import type { FaceImage } from './image.ts';
import type { FaceModels } from './models.ts';
import { applyAffine, cropToImage, normalizeRadians, type Affine } from './roi.ts';

export const IRIS_INPUT = 64;
/** The Iris model's output: 71 eye-contour and brow points, then 5 iris points (centre, then its edge). */
const CONTOUR_POINTS = 71;
const IRIS_POINTS = 5;
/** Eye ROI side as a multiple of the corner-to-corner distance (MediaPipe's iris tracking). */
const EYE_ROI_SCALE = 2.3;

/**
 * Corners of each eye in the 468-point topology, outer then inner, the subject's right eye (left in
 * the photo) first. The model was trained on one eye; the other is mirrored into its frame.
 */
export const EYE_CORNERS = [
  { outer: 33, inner: 133, mirrored: false },
  { outer: 263, inner: 362, mirrored: true },
] as const;

export interface EyeIris {
  /** Iris centre in image pixels. */
  centre: [number, number];
  /** Iris radius in image pixels: the mean distance of the four edge points from the centre. */
  radius: number;
  /** The model's 71 eye-contour and brow points in image pixels. */
  contour: [number, number][];
}

/**
 * The crop → image affine of one eye's square ROI: centred between its corners, the crop's x axis
 * along outer → inner corner, side 2.3 × their distance; a mirrored eye's crop is reflected in x, so
 * both eyes reach the model with the same handedness.
 */
export function eyeCropToImage(
  outer: readonly number[],
  inner: readonly number[],
  mirrored: boolean,
  cropSize = IRIS_INPUT,
): Affine {
  const dx = inner[0] - outer[0];
  const dy = inner[1] - outer[1];
  // Mirrored eyes run inner → outer in the image, so their reflected crop runs outer → inner again.
  const angle = normalizeRadians(Math.atan2(dy, dx) + (mirrored ? Math.PI : 0));
  const roi = {
    cx: (outer[0] + inner[0]) / 2,
    cy: (outer[1] + inner[1]) / 2,
    size: Math.hypot(dx, dy) * EYE_ROI_SCALE,
    angle,
  };
  const m = cropToImage(roi, cropSize);
  if (!mirrored) return m;
  // x → cropSize − x: the reflection that turns this eye into the trained one.
  return [-m[0], m[1], m[2] + m[0] * cropSize, -m[3], m[4], m[5] + m[3] * cropSize];
}

/**
 * MediaPipe's Iris model on both eyes of one face: each eye's ROI from FaceMesh's eye corners,
 * cropped to 64×64 on the GPU, the 76 points mapped back to the photo.
 */
export async function irisLandmarks(
  models: FaceModels,
  image: FaceImage,
  landmarks: readonly (readonly number[])[],
  corners: readonly { outer: number; inner: number; mirrored: boolean }[] = EYE_CORNERS,
): Promise<EyeIris[]> {
  const model = await models.iris();
  const eyes: EyeIris[] = [];
  for (const eye of corners) {
    const matrix = eyeCropToImage(landmarks[eye.outer], landmarks[eye.inner], eye.mirrored);
    const crop = affineWarp(image.tensor.ctx, image.tensor, {
      matrix,
      height: IRIS_INPUT,
      width: IRIS_INPUT,
      border: 'replicate',
    });
    const outs = model.run(crop);
    crop.dispose();
    let values: Float32Array;
    try {
      values = await Object.values(outs)[0].tensor.read();
    } finally {
      for (const o of Object.values(outs)) o.tensor.dispose();
    }
    if (values.length !== 3 * (CONTOUR_POINTS + IRIS_POINTS))
      throw new Error(`Iris: ${values.length} values, expected ${3 * (CONTOUR_POINTS + IRIS_POINTS)}`);
    const points = Array.from({ length: CONTOUR_POINTS + IRIS_POINTS }, (_, i) =>
      applyAffine(matrix, values[3 * i], values[3 * i + 1]),
    );
    const iris = points.slice(CONTOUR_POINTS);
    const centre = iris[0];
    const radius = iris.slice(1).reduce((s, p) => s + Math.hypot(p[0] - centre[0], p[1] - centre[1]), 0) / 4;
    eyes.push({ centre, radius, contour: points.slice(0, CONTOUR_POINTS) });
  }
  return eyes;
}
