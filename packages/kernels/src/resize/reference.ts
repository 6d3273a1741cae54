import { defaultRounding, type CoordinateMode, type NearestRounding } from './coordinates.ts';
import type { ResizeMode } from './resize.ts';

/** Keys cubic convolution kernel with parameter a. */
export function keysCubic(x: number, a: number): number {
  const t = Math.abs(x);
  if (t <= 1) return ((a + 2) * t - (a + 3)) * t * t + 1;
  if (t < 2) return ((a * t - 5 * a) * t + 8 * a) * t - 4 * a;
  return 0;
}

/** Source coordinate of output index d, written from the definitions (ONNX Resize's formulas), in f64. */
export function sourceCoordinate(
  d: number,
  inSize: number,
  outSize: number,
  coordinates: CoordinateMode,
  scale = outSize / inSize,
): number {
  switch (coordinates) {
    case 'asymmetric':
      return d / scale;
    case 'half-pixel':
      return (d + 0.5) / scale - 0.5;
    case 'pytorch-half-pixel':
      return outSize > 1 ? (d + 0.5) / scale - 0.5 : -0.5;
    case 'tf-half-pixel-for-nn':
      return (d + 0.5) / scale;
    case 'align-corners':
      return outSize === 1 || scale * inSize === 1 ? 0 : (d * (inSize - 1)) / (scale * inSize - 1);
  }
}

function round(x: number, rounding: NearestRounding): number {
  switch (rounding) {
    case 'floor':
      return Math.floor(x);
    case 'ceil':
      return Math.ceil(x);
    case 'round-prefer-ceil':
      return Math.floor(x + 0.5);
    case 'round-prefer-floor':
      return Math.ceil(x - 0.5);
  }
}

export interface ResizeReferenceOptions {
  height: number;
  width: number;
  mode: ResizeMode;
  coordinates?: CoordinateMode;
  cubicA?: number;
  nearestRounding?: NearestRounding;
  scale?: [number, number];
  excludeOutside?: boolean;
}

/** CPU reference for resize on a dense NHWC array, in f64. */
export function resizeReference(
  x: Float32Array,
  shape: readonly number[],
  o: ResizeReferenceOptions,
): { data: Float32Array; shape: number[] } {
  const [n, h, w, c] = shape;
  const coordinates = o.coordinates ?? 'asymmetric';
  const rounding = o.nearestRounding ?? defaultRounding(coordinates);
  const a = o.cubicA ?? -0.75;
  const out = new Float32Array(n * o.height * o.width * c);
  const at = (b: number, y: number, xx: number, k: number): number => {
    const yy = Math.min(Math.max(y, 0), h - 1);
    const xc = Math.min(Math.max(xx, 0), w - 1);
    return x[((b * h + yy) * w + xc) * c + k];
  };
  const srcY = (d: number) => sourceCoordinate(d, h, o.height, coordinates, o.scale?.[0]);
  const srcX = (d: number) => sourceCoordinate(d, w, o.width, coordinates, o.scale?.[1]);
  /** The four cubic taps' weights around s, with ONNX's exclude_outside renormalisation. */
  const cubic = (s: number, size: number): number[] => {
    const f = Math.floor(s);
    const taps = [-1, 0, 1, 2].map((i) => f + i);
    const wts = taps.map((t) => (o.excludeOutside && (t < 0 || t >= size) ? 0 : keysCubic(s - t, a)));
    const sum = wts.reduce((p, q) => p + q, 0);
    return o.excludeOutside ? wts.map((v) => v / sum) : wts;
  };
  for (let b = 0; b < n; b++)
    for (let oy = 0; oy < o.height; oy++)
      for (let ox = 0; ox < o.width; ox++)
        for (let k = 0; k < c; k++) {
          let v: number;
          if (o.mode === 'nearest') {
            const y = Math.min(round(srcY(oy), rounding), h - 1);
            const xx = Math.min(round(srcX(ox), rounding), w - 1);
            v = at(b, y, xx, k);
          } else if (o.mode === 'bilinear') {
            const sy = Math.max(srcY(oy), 0);
            const sx = Math.max(srcX(ox), 0);
            const y0 = Math.floor(sy);
            const x0 = Math.floor(sx);
            const ty = sy - y0;
            const tx = sx - x0;
            const top = at(b, y0, x0, k) * (1 - tx) + at(b, y0, x0 + 1, k) * tx;
            const bottom = at(b, y0 + 1, x0, k) * (1 - tx) + at(b, y0 + 1, x0 + 1, k) * tx;
            v = top * (1 - ty) + bottom * ty;
          } else {
            const sy = srcY(oy);
            const sx = srcX(ox);
            const [y0, x0] = [Math.floor(sy), Math.floor(sx)];
            const [wy, wx] = [cubic(sy, h), cubic(sx, w)];
            v = 0;
            for (let i = 0; i < 4; i++)
              for (let j = 0; j < 4; j++) v += wy[i] * wx[j] * at(b, y0 - 1 + i, x0 - 1 + j, k);
          }
          out[((b * o.height + oy) * o.width + ox) * c + k] = v;
        }
  return { data: out, shape: [n, o.height, o.width, c] };
}
