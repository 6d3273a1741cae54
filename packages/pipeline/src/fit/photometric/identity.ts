import { Tensor, type KernelContext } from '@avatarme/kernels';
import { GraphModel, identityLoss } from '@avatarme/nets';
import { HUMAN_MODELS_URL } from '../../face/models.ts';
import type { ImageLoss } from './optimise.ts';

/** FaceRes' input side and output (the 1024-value global-pooling embedding), as face/descriptor.ts. */
const SIDE = 224;
const OUTPUT = 'global_pooling/Mean';

/** A square in photo pixels: top-left corner and side. */
export interface CropBox {
  x: number;
  y: number;
  size: number;
}

/**
 * The face square FaceRes sees: centred on the 68 landmarks' box, 1.4 × its longer side (the margin
 * of the descriptor's crop).
 */
export function landmarkCropBox(landmarks: ArrayLike<number>): CropBox {
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (let i = 0; i < landmarks.length; i += 2) {
    x0 = Math.min(x0, landmarks[i]);
    x1 = Math.max(x1, landmarks[i]);
    y0 = Math.min(y0, landmarks[i + 1]);
    y1 = Math.max(y1, landmarks[i + 1]);
  }
  const size = 1.4 * Math.max(x1 - x0, y1 - y0, 1);
  return { x: (x0 + x1) / 2 - size / 2, y: (y0 + y1) / 2 - size / 2, size };
}

/**
 * Bilinear taps of the SIDE² crop of `box` (photo pixels) from an image of w × h that is the photo
 * scaled by `scale`: per output pixel four source indices and weights (clamped at the border).
 */
export function cropTaps(box: CropBox, scale: number, w: number, h: number) {
  const index = new Int32Array(SIDE * SIDE * 4);
  const weight = new Float32Array(SIDE * SIDE * 4);
  const step = (box.size * scale) / SIDE;
  for (let j = 0; j < SIDE; j++)
    for (let i = 0; i < SIDE; i++) {
      const sx = Math.min(w - 1, Math.max(0, box.x * scale + (i + 0.5) * step - 0.5));
      const sy = Math.min(h - 1, Math.max(0, box.y * scale + (j + 0.5) * step - 0.5));
      const [ix, iy] = [Math.min(w - 2, Math.floor(sx)), Math.min(h - 2, Math.floor(sy))];
      const [fx, fy] = [sx - ix, sy - iy];
      const o = 4 * (j * SIDE + i);
      index.set([iy * w + ix, iy * w + ix + 1, (iy + 1) * w + ix, (iy + 1) * w + ix + 1], o);
      weight.set([(1 - fx) * (1 - fy), fx * (1 - fy), (1 - fx) * fy, fx * fy], o);
    }
  return { index, weight };
}

/** The crop in FaceRes' range [0, 255] from an RGB image in [0, 1] [w·h·3]. */
export function crop(rgb: ArrayLike<number>, taps: ReturnType<typeof cropTaps>): Float32Array {
  const out = new Float32Array(SIDE * SIDE * 3);
  for (let p = 0; p < SIDE * SIDE; p++)
    for (let k = 0; k < 4; k++) {
      const [s, wt] = [taps.index[4 * p + k], 255 * taps.weight[4 * p + k]];
      for (let c = 0; c < 3; c++) out[3 * p + c] += wt * rgb[3 * s + c];
    }
  return out;
}

/** The crop's adjoint: d loss / d crop back onto the image it was taken from. */
export function cropAdjoint(
  g: Float32Array,
  taps: ReturnType<typeof cropTaps>,
  pixels: number,
): Float32Array {
  const out = new Float32Array(pixels * 3);
  for (let p = 0; p < SIDE * SIDE; p++)
    for (let k = 0; k < 4; k++) {
      const [s, wt] = [taps.index[4 * p + k], 255 * taps.weight[4 * p + k]];
      for (let c = 0; c < 3; c++) out[3 * s + c] += wt * g[3 * p + c];
    }
  return out;
}

/** FaceRes with its input gradient, loaded once per context and models folder. */
const networks = new WeakMap<KernelContext, Map<string, Promise<GraphModel>>>();
function faceRes(ctx: KernelContext, baseUrl: string): Promise<GraphModel> {
  let byUrl = networks.get(ctx);
  if (!byUrl) networks.set(ctx, (byUrl = new Map()));
  let m = byUrl.get(baseUrl);
  if (!m) {
    const url = new URL('faceres.json', new URL(baseUrl, location.href)).href;
    m = GraphModel.load(ctx, url, { outputs: [OUTPUT], inputGradient: true });
    byUrl.set(baseUrl, m);
    m.catch(() => byUrl.delete(baseUrl));
  }
  return m;
}

/**
 * The identity loss of the photometric fit: 1 − cos(FaceRes(render crop), FaceRes(photo crop)) over
 * the same face square (`box`, photo pixels) of both, with its gradient with respect to the rendered
 * image through FaceRes' input gradient (@avatarme/nets identityLoss) and the crop's bilinear adjoint.
 * The render may be at any scale of the photo: its crop is taken at the render's own scale.
 */
export async function faceResIdentityLoss(
  ctx: KernelContext,
  photo: { rgb: Float32Array; width: number; height: number },
  box: CropBox,
  baseUrl = HUMAN_MODELS_URL,
): Promise<ImageLoss> {
  const net = await faceRes(ctx, baseUrl);
  const photoCrop = crop(photo.rgb, cropTaps(box, 1, photo.width, photo.height));
  const input = Tensor.fromArray(ctx, photoCrop, [1, SIDE, SIDE, 3], 'identity.photo');
  const out = net.run(input)[OUTPUT].tensor;
  const target = await out.read();
  out.dispose();
  input.dispose();
  const tapsBySize = new Map<string, ReturnType<typeof cropTaps>>();
  return async (image, width, height) => {
    const key = `${width}x${height}`;
    let taps = tapsBySize.get(key);
    if (!taps) tapsBySize.set(key, (taps = cropTaps(box, width / photo.width, width, height)));
    const x = Tensor.fromArray(ctx, crop(image, taps), [1, SIDE, SIDE, 3], 'identity.render');
    try {
      const r = await identityLoss(net, x, target, { output: OUTPUT });
      const g = await r.gradient.read();
      r.gradient.dispose();
      return { loss: r.loss, grad: cropAdjoint(g, taps, width * height) };
    } finally {
      x.dispose();
    }
  };
}
