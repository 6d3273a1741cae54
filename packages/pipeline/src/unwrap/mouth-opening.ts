// The photo's mouth opening (teeth, tongue, the dark inside) and lips as pixel labels, so that the unwrap
// does not read the opening onto lips or skin of a fitted mouth that is closed, or less open, where the
// photo's is open, and completes those texels from the lips instead.
// Pure functions on read-back arrays.
import { insidePolygon } from '../math/polygon.ts';
import { luminance, srgbToLinear } from '../math/colour.ts';
import { FACEMESH_INNER_LIP, FACEMESH_OUTER_LIP } from '../morphable/mouth-open.ts';
import type { Landmarks } from '../surface/surface.ts';

/** The lips' contours in the photo, pixels (x right, y down), each a closed polygon. */
export interface MouthContours {
  /** Inner edge of the lips: the mouth's opening as FaceMesh sees it (often too narrow on open smiles). */
  inner: (readonly [number, number])[];
  /** Outer edge of the lips (vermilion border). */
  outer: (readonly [number, number])[];
}

/** The lips' contours from FaceMesh's 468 points (photo pixels). */
export function mouthContours(landmarks: Landmarks): MouthContours {
  const at = (i: number) => [landmarks[i][0], landmarks[i][1]] as const;
  return { inner: FACEMESH_INNER_LIP.map(at), outer: FACEMESH_OUTER_LIP.map(at) };
}

export interface MouthOpeningOptions {
  /** Robust σ of the lips' colour beyond which a pixel next to the opening is opening too (default 3). */
  threshold?: number;
  /** Rounds of that growth, as a share of the mouth's width (default 0.15). */
  growShare?: number;
}

/** Robust spread floors: lips photographed small can be very uniform, and their shading is not modelled. */
const FLOOR = { chroma: 0.05, luminance: 0.3 };

function median(values: number[]): number {
  const s = values.slice().sort((a, b) => a - b);
  return s.length ? s[s.length >> 1] : 0;
}

/** Labels of mouthPixels. */
export const MOUTH_PIXEL = { lips: 1, opening: 2 } as const;

/**
 * The photo's mouth, a label per pixel [H·W]: MOUTH_PIXEL.opening on the pixels that show the inside
 * of the mouth, MOUTH_PIXEL.lips on the rest inside the outer lip contour, 0 elsewhere. Opening: the
 * pixels whose centre lies inside the
 * inner lip contour, and those inside the outer contour, connected to them, whose colour is unlike the
 * lips' (more than `threshold` robust σ from the median of the pixels between the two contours, in
 * log(r/g), log(b/g) and log luminance of linear RGB): teeth and the dark corners where FaceMesh's inner
 * contour falls short of the opening, as it does on open smiles. A lower lip's highlight is lip-like in
 * chroma and, beyond the growth's reach, not connected. photo: sRGB [H·W·3] in [0, 1].
 */
export function mouthPixels(
  photo: ArrayLike<number>,
  width: number,
  height: number,
  mouth: MouthContours,
  opts: MouthOpeningOptions = {},
): Uint8Array {
  const opening = new Uint8Array(width * height);
  const lips = new Uint8Array(width * height);
  const labels = () =>
    Uint8Array.from(opening, (o, i) => (o ? MOUTH_PIXEL.opening : lips[i] ? MOUTH_PIXEL.lips : 0));
  const xs = mouth.outer.map((p) => p[0]);
  const ys = mouth.outer.map((p) => p[1]);
  const [x0, x1] = [
    Math.max(0, Math.floor(Math.min(...xs))),
    Math.min(width - 1, Math.ceil(Math.max(...xs))),
  ];
  const [y0, y1] = [
    Math.max(0, Math.floor(Math.min(...ys))),
    Math.min(height - 1, Math.ceil(Math.max(...ys))),
  ];
  if (!(x1 > x0 && y1 > y0)) return labels();
  const feature = new Float64Array(width * height * 3);
  for (let y = y0; y <= y1; y++)
    for (let x = x0; x <= x1; x++) {
      const i = y * width + x;
      if (!insidePolygon(x + 0.5, y + 0.5, mouth.outer)) continue;
      if (insidePolygon(x + 0.5, y + 0.5, mouth.inner)) opening[i] = 1;
      else lips[i] = 1;
      const [r, g, b] = [0, 1, 2].map((c) => Math.max(1e-4, srgbToLinear(photo[3 * i + c])));
      feature.set([Math.log(r / g), Math.log(b / g), Math.log(luminance(r, g, b))], 3 * i);
    }
  const lipPixels: number[] = [];
  lips.forEach((l, i) => l && lipPixels.push(i));
  if (lipPixels.length < 16) return labels();
  const centre = [0, 0, 0];
  const spread = [0, 0, 0];
  for (let k = 0; k < 3; k++) {
    const values = lipPixels.map((i) => feature[3 * i + k]);
    centre[k] = median(values);
    const floor = k < 2 ? FLOOR.chroma : FLOOR.luminance;
    spread[k] = Math.max(floor, 1.4826 * median(values.map((v) => Math.abs(v - centre[k]))));
  }
  const threshold = opts.threshold ?? 3;
  const unlike = (i: number) => {
    let d = 0;
    for (let k = 0; k < 3; k++) d += ((feature[3 * i + k] - centre[k]) / spread[k]) ** 2;
    return Math.sqrt(d) > threshold;
  };
  const steps = Math.ceil((opts.growShare ?? 0.15) * (Math.max(...xs) - Math.min(...xs)));
  for (let step = 0; step < steps; step++) {
    const grown = Uint8Array.from(opening);
    let changed = false;
    for (let y = y0; y <= y1; y++)
      for (let x = x0; x <= x1; x++) {
        const i = y * width + x;
        if (opening[i] || !lips[i] || !unlike(i)) continue;
        const touches =
          (x > 0 && opening[i - 1]) ||
          (x + 1 < width && opening[i + 1]) ||
          (y > 0 && opening[i - width]) ||
          (y + 1 < height && opening[i + width]);
        if (touches) [grown[i], lips[i], changed] = [1, 0, true];
      }
    opening.set(grown);
    if (!changed) break;
  }
  return labels();
}

type TapArgs = [
  size: number,
  attributes: ArrayLike<number>,
  channels: number,
  eligible: (i: number) => boolean,
  pixels: Uint8Array,
  label: number,
  width: number,
  height: number,
];

/**
 * Per texel (eligible ones), whether the bilinear photo sample's taps (around camera x, y; pixel
 * centres at +0.5; zero-weight taps ignored) fall on pixels labelled `label` in `pixels`: any of them
 * (`all` false) or every one. attributes [S·S·channels] with camera x, y in channels 0, 1.
 */
function texelsByTaps(
  all: boolean,
  ...[size, attributes, channels, eligible, pixels, label, width, height]: TapArgs
): Uint8Array {
  const out = new Uint8Array(size * size);
  for (let i = 0; i < size * size; i++) {
    if (!eligible(i)) continue;
    const [x, y] = [attributes[channels * i] - 0.5, attributes[channels * i + 1] - 0.5];
    const [tx, ty] = [Math.floor(x), Math.floor(y)];
    const [fx, fy] = [x - tx, y - ty];
    let result = all;
    for (let t = 0; t < 4 && result === all; t++) {
      const weight = (t & 1 ? fx : 1 - fx) * (t >> 1 ? fy : 1 - fy);
      const px = Math.min(width - 1, Math.max(0, tx + (t & 1)));
      const py = Math.min(height - 1, Math.max(0, ty + (t >> 1)));
      if (weight > 1e-6 && (pixels[py * width + px] === label) !== all) result = !all;
    }
    out[i] = result ? 1 : 0;
  }
  return out;
}

/**
 * 1 on texels whose bilinear photo sample gives any weight to a pixel labelled `label` in `pixels`
 * (mouthPixels) [S·S]: even a quarter of a tooth's white lightens a lip texel visibly.
 */
export function texelsReading(...args: TapArgs): Uint8Array {
  return texelsByTaps(false, ...args);
}

/**
 * 1 on texels whose bilinear photo sample reads pixels labelled `label` only (every tap with weight):
 * no lip or skin colour mixed in [S·S].
 */
export function texelsReadingOnly(...args: TapArgs): Uint8Array {
  return texelsByTaps(true, ...args);
}

/**
 * 1 on the texels completed from the lips [S·S]: unknown (neither seen nor mirrored) texels that read
 * the photo's mouth opening, and the unknown texels of the skin region connected to them in the layout
 * through unknown texels whose model-space x, y lie within the box of the texels that read the photo's
 * lips or its opening (the lips' extent seen from the front): the inner lips rolled into a closed
 * mouth, not the unseen skin beyond the lips. positions: model space [S·S·3].
 */
export function lipCompletion(
  size: number,
  inMouth: Uint8Array,
  readsLips: Uint8Array,
  known: ArrayLike<number>,
  region: Uint8Array,
  skinRegion: number,
  positions: ArrayLike<number>,
): Uint8Array {
  const out = new Uint8Array(size * size);
  const box = [Infinity, Infinity, -Infinity, -Infinity];
  const queue: number[] = [];
  for (let i = 0; i < size * size; i++) {
    if (!inMouth[i] && !readsLips[i]) continue;
    const [x, y] = [positions[3 * i], positions[3 * i + 1]];
    [box[0], box[1]] = [Math.min(box[0], x), Math.min(box[1], y)];
    [box[2], box[3]] = [Math.max(box[2], x), Math.max(box[3], y)];
    if (inMouth[i] && !(known[i] > 0)) [out[i]] = [1, queue.push(i)];
  }
  const inBox = (i: number) =>
    region[i] === skinRegion &&
    !(known[i] > 0) &&
    positions[3 * i] >= box[0] &&
    positions[3 * i] <= box[2] &&
    positions[3 * i + 1] >= box[1] &&
    positions[3 * i + 1] <= box[3];
  while (queue.length) {
    const i = queue.pop()!;
    const [x, y] = [i % size, Math.floor(i / size)];
    const next = [x > 0 && i - 1, x + 1 < size && i + 1, y > 0 && i - size, y + 1 < size && i + size];
    for (const j of next) if (j !== false && !out[j] && inBox(j)) [out[j]] = [1, queue.push(j)];
  }
  return out;
}
