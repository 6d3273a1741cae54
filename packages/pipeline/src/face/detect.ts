import { affineWarp, binary, type Tensor } from '@avatarme/kernels';
import type { GraphOutput } from '@avatarme/nets';
import { BLAZEFACE_BACK, ssdAnchors } from './anchors.ts';
import { decodeDetections, nonMaxSuppression } from './decode.ts';
import type { FaceImage } from './image.ts';
import type { FaceModels } from './models.ts';
import { applyAffine, invertAffine, letterbox } from './roi.ts';

/** A detected face in image pixels. */
export interface DetectedFace {
  /** [x, y, width, height]. */
  box: [number, number, number, number];
  score: number;
  /** BlazeFace's 6 keypoints: the two eyes (image left first), nose tip, mouth, the two ear tragions. */
  keypoints: [number, number][];
}

export interface DetectOptions {
  /** Minimum detection score (default 0.5, MediaPipe's short-range threshold). */
  minScore?: number;
  /** Boxes overlapping a better one by more than this IoU are dropped (default 0.3). */
  iouThreshold?: number;
  maxFaces?: number;
}

const INPUT = BLAZEFACE_BACK.inputSize;
let anchorCache: Float32Array | undefined;

/** Rows of the detector's outputs for one anchor grid, fine grid (more anchors) first. */
async function readHeads(
  outs: Record<string, GraphOutput>,
): Promise<{ logits: Float32Array; boxes: Float32Array }> {
  const list = Object.values(outs);
  const heads = (last: number) =>
    list.filter((o) => o.shape[o.shape.length - 1] === last).sort((a, b) => b.shape[1] - a.shape[1]);
  const scores = heads(1);
  const boxes = heads(16);
  if (scores.length !== 2 || boxes.length !== 2) {
    throw new Error(
      `BlazeFace: expected two [1, n, 1] and two [1, n, 16] outputs, got ${list.map((o) => `[${o.shape}]`).join(' ')}`,
    );
  }
  const cat = async (parts: GraphOutput[]) => {
    const arrays = await Promise.all(parts.map((p) => p.tensor.read()));
    const out = new Float32Array(arrays.reduce((s, a) => s + a.length, 0));
    let at = 0;
    for (const a of arrays) {
      out.set(a, at);
      at += a.length;
    }
    return out;
  };
  return { logits: await cat(scores), boxes: await cat(boxes) };
}

/**
 * Finds faces with BlazeFace: the photo letterboxed into 256×256 and mapped to [-1, 1] on the GPU,
 * boxes decoded against the SSD anchors, non-maximum suppression, then back to image pixels. Faces
 * come sorted by size, largest first; none → [].
 */
export async function detectFaces(
  models: FaceModels,
  image: FaceImage,
  opts: DetectOptions = {},
): Promise<DetectedFace[]> {
  const ctx = models.ctx;
  const detector = await models.detector();
  const toModel = letterbox(image.width, image.height, INPUT);
  const temps: Tensor[] = [];
  const keep = <T extends Tensor>(t: T): T => (temps.push(t), t);
  let outs: Record<string, GraphOutput>;
  try {
    const square = keep(
      affineWarp(ctx, image.tensor, { matrix: invertAffine(toModel), height: INPUT, width: INPUT }),
    );
    const input = keep(binary(ctx, 'add', keep(binary(ctx, 'mul', square, 2)), -1));
    outs = detector.run(input);
  } finally {
    for (const t of temps) t.dispose();
  }
  let heads: { logits: Float32Array; boxes: Float32Array };
  try {
    heads = await readHeads(outs);
  } finally {
    for (const o of Object.values(outs)) o.tensor.dispose();
  }
  anchorCache ??= ssdAnchors(BLAZEFACE_BACK);
  const raw = decodeDetections(heads.logits, heads.boxes, anchorCache, INPUT, opts.minScore ?? 0.5);
  const kept = nonMaxSuppression(raw, opts.iouThreshold ?? 0.3, opts.maxFaces ?? Infinity);
  const toImage = invertAffine(toModel);
  const px = (x: number, y: number) => applyAffine(toImage, x * INPUT, y * INPUT);
  const faces = kept.map((d): DetectedFace => {
    const [x0, y0] = px(d.box[0], d.box[1]);
    const [x1, y1] = px(d.box[2], d.box[3]);
    return {
      box: [x0, y0, x1 - x0, y1 - y0],
      score: d.score,
      keypoints: d.keypoints.map(([x, y]) => px(x, y)),
    };
  });
  return faces.sort((a, b) => b.box[2] * b.box[3] - a.box[2] * a.box[3]);
}
