/**
 * BlazeFace raw outputs → scored boxes (MediaPipe's TensorsToDetections with reverse_output_order):
 * per anchor 16 regressors [xc, yc, w, h, kx0, ky0, …, kx5, ky5] in model-input pixels, centres and
 * keypoints relative to the anchor centre, sizes absolute (no exp: anchors are 1×1); a score logit.
 */

export const KEYPOINTS = 6;
const REGRESSORS = 4 + 2 * KEYPOINTS;

/** A detection in the model's normalised input frame ([0, 1] over the letterboxed square). */
export interface RawDetection {
  score: number;
  /** [xmin, ymin, xmax, ymax]. */
  box: [number, number, number, number];
  /** 6 points: eye, eye, nose tip, mouth centre, ear tragion, ear tragion (x, y). */
  keypoints: [number, number][];
}

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-Math.min(100, Math.max(-100, x))));
}

export function decodeDetections(
  logits: Float32Array,
  regressors: Float32Array,
  anchors: Float32Array,
  inputSize: number,
  minScore: number,
): RawDetection[] {
  const n = anchors.length / 2;
  if (logits.length !== n || regressors.length !== n * REGRESSORS) {
    throw new Error(
      `BlazeFace decode: ${logits.length} scores and ${regressors.length / REGRESSORS} box rows for ${n} anchors`,
    );
  }
  const out: RawDetection[] = [];
  for (let i = 0; i < n; i++) {
    const score = sigmoid(logits[i]);
    if (!(score >= minScore)) continue;
    const r = regressors.subarray(i * REGRESSORS, (i + 1) * REGRESSORS);
    const ax = anchors[2 * i];
    const ay = anchors[2 * i + 1];
    const cx = r[0] / inputSize + ax;
    const cy = r[1] / inputSize + ay;
    const w = r[2] / inputSize;
    const h = r[3] / inputSize;
    const keypoints: [number, number][] = [];
    for (let k = 0; k < KEYPOINTS; k++)
      keypoints.push([r[4 + 2 * k] / inputSize + ax, r[5 + 2 * k] / inputSize + ay]);
    out.push({ score, box: [cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], keypoints });
  }
  return out;
}

export function iou(a: readonly number[], b: readonly number[]): number {
  const ix = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
  const iy = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
  const inter = ix * iy;
  const union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter;
  return union > 0 ? inter / union : 0;
}

/** Greedy non-maximum suppression: highest score first, drop boxes overlapping a kept one by > iouThreshold. */
export function nonMaxSuppression<T extends { score: number; box: readonly number[] }>(
  dets: readonly T[],
  iouThreshold: number,
  maxCount = Infinity,
): T[] {
  const sorted = [...dets].sort((a, b) => b.score - a.score);
  const kept: T[] = [];
  for (const d of sorted) {
    if (kept.length >= maxCount) break;
    if (kept.every((k) => iou(k.box, d.box) <= iouThreshold)) kept.push(d);
  }
  return kept;
}
