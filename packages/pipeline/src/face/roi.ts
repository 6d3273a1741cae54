/**
 * Geometry between the photo, the detector's letterboxed square and the landmark model's rotated crop.
 * Coordinates are continuous pixels: pixel i covers [i, i + 1), its centre is i + 0.5 (MediaPipe's
 * convention: a landmark x in a 192-pixel crop is x / 192 of the crop's width).
 */

/** x' = m[0]·x + m[1]·y + m[2], y' = m[3]·x + m[4]·y + m[5]. */
export type Affine = [number, number, number, number, number, number];

export function applyAffine(m: Affine, x: number, y: number): [number, number] {
  return [m[0] * x + m[1] * y + m[2], m[3] * x + m[4] * y + m[5]];
}

export function invertAffine(m: Affine): Affine {
  const det = m[0] * m[4] - m[1] * m[3];
  if (det === 0) throw new Error('affine transform is singular');
  const a = m[4] / det;
  const b = -m[1] / det;
  const d = -m[3] / det;
  const e = m[0] / det;
  return [a, b, -(a * m[2] + b * m[5]), d, e, -(d * m[2] + e * m[5])];
}

/** Image → model input: the image scaled to fit a size×size square, centred, borders left empty. */
export function letterbox(width: number, height: number, size: number): Affine {
  const s = size / Math.max(width, height);
  return [s, 0, (size - width * s) / 2, 0, s, (size - height * s) / 2];
}

/** The landmark model's region of interest: a rotated square in image pixels. */
export interface FaceRoi {
  cx: number;
  cy: number;
  size: number;
  /** Radians; the crop's x axis points along (cos, sin) in the image (y down). */
  angle: number;
}

export function normalizeRadians(a: number): number {
  return a - 2 * Math.PI * Math.floor((a + Math.PI) / (2 * Math.PI));
}

/**
 * MediaPipe's face ROI: rotation that makes keypoint 0 → keypoint 1 (the eyes) horizontal, centre of
 * the box, side = long side of the box × scale (1.5 for FaceMesh).
 */
export function faceRoi(
  box: readonly [number, number, number, number],
  eyes: readonly [readonly [number, number], readonly [number, number]],
  opts: { scale?: number; rotate?: boolean } = {},
): FaceRoi {
  const [x, y, w, h] = box;
  const angle =
    opts.rotate === false
      ? 0
      : normalizeRadians(Math.atan2(eyes[1][1] - eyes[0][1], eyes[1][0] - eyes[0][0]));
  return { cx: x + w / 2, cy: y + h / 2, size: Math.max(w, h) * (opts.scale ?? 1.5), angle };
}

/** Crop pixels (a cropSize × cropSize square) → image pixels. */
export function cropToImage(roi: FaceRoi, cropSize: number): Affine {
  const k = roi.size / cropSize;
  const c = Math.cos(roi.angle) * k;
  const s = Math.sin(roi.angle) * k;
  // p = centre + R(angle) · (q − cropSize/2) · k
  const h = cropSize / 2;
  return [c, -s, roi.cx - c * h + s * h, s, c, roi.cy - s * h - c * h];
}

/**
 * The ROI of a second FaceMesh pass, from the first pass's 468 points (MediaPipe's tracking): the
 * rotation that makes the outer eye corners (33 → 263) horizontal, the points' bounding box in that
 * rotated frame, its centre, and its long side × scale (1.5 as for the detector's box).
 */
export function roiFromLandmarks(
  landmarks: readonly (readonly [number, number, number])[],
  scale = 1.5,
): FaceRoi {
  const [a, b] = [landmarks[33], landmarks[263]];
  const angle = normalizeRadians(Math.atan2(b[1] - a[1], b[0] - a[0]));
  const [c, s] = [Math.cos(angle), Math.sin(angle)];
  let [u0, u1, v0, v1] = [Infinity, -Infinity, Infinity, -Infinity];
  for (const [x, y] of landmarks) {
    const u = c * x + s * y;
    const v = -s * x + c * y;
    [u0, u1, v0, v1] = [Math.min(u0, u), Math.max(u1, u), Math.min(v0, v), Math.max(v1, v)];
  }
  const [uc, vc] = [(u0 + u1) / 2, (v0 + v1) / 2];
  return { cx: c * uc - s * vc, cy: s * uc + c * vc, size: Math.max(u1 - u0, v1 - v0) * scale, angle };
}
