/**
 * Image-space error measures of the evaluation. Pure functions over float images (row-major, `c`
 * channels per pixel) and a mask (1 = pixel counts); they run in Node (unit tests) and in the page.
 */

import { linearRgbToLab } from '@avatarme/pipeline/math/colour.ts';

export interface FloatImage {
  width: number;
  height: number;
  channels: number;
  data: Float32Array;
}

function check(a: FloatImage, b: FloatImage, mask: ArrayLike<number>): number {
  if (a.width !== b.width || a.height !== b.height || a.channels !== b.channels)
    throw new RangeError(
      `metrics: images differ in size (${a.width}×${a.height}×${a.channels} vs ${b.width}×${b.height}×${b.channels})`,
    );
  if (mask.length !== a.width * a.height)
    throw new RangeError(`metrics: mask has ${mask.length} values for ${a.width * a.height} pixels`);
  let n = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i] > 0.5) n++;
  return n;
}

/** Root-mean-square difference over the masked pixels, first `channels` channels (NaN on an empty mask). */
export function rmse(a: FloatImage, b: FloatImage, mask: ArrayLike<number>, channels = a.channels): number {
  const n = check(a, b, mask);
  if (!n) return NaN;
  let s = 0;
  for (let i = 0; i < mask.length; i++) {
    if (mask[i] <= 0.5) continue;
    for (let k = 0; k < channels; k++) s += (a.data[i * a.channels + k] - b.data[i * b.channels + k]) ** 2;
  }
  return Math.sqrt(s / (n * channels));
}

/**
 * RMSE after the one global scale s that best fits `ours` to `truth` (s = ⟨x, y⟩ / ⟨x, x⟩), so an
 * albedo right up to exposure scores 0: what a single photo can determine (Grosse et al., "Ground
 * truth dataset and baseline evaluations for intrinsic image algorithms", ICCV 2009, use the same
 * scale-invariant form). Images in linear RGB.
 */
export function scaleInvariantRmse(
  ours: FloatImage,
  truth: FloatImage,
  mask: ArrayLike<number>,
  channels = 3,
): number {
  const n = check(ours, truth, mask);
  if (!n) return NaN;
  let xy = 0;
  let xx = 0;
  for (let i = 0; i < mask.length; i++) {
    if (mask[i] <= 0.5) continue;
    for (let k = 0; k < channels; k++) {
      const x = ours.data[i * ours.channels + k];
      xy += x * truth.data[i * truth.channels + k];
      xx += x * x;
    }
  }
  const s = xx > 0 ? xy / xx : 0;
  let e = 0;
  for (let i = 0; i < mask.length; i++) {
    if (mask[i] <= 0.5) continue;
    for (let k = 0; k < channels; k++)
      e += (s * ours.data[i * ours.channels + k] - truth.data[i * truth.channels + k]) ** 2;
  }
  return Math.sqrt(e / (n * channels));
}

/** PSNR in dB over the masked pixels of images in [0, 1] (Infinity when identical). */
export function psnr(a: FloatImage, b: FloatImage, mask: ArrayLike<number>, channels = 3): number {
  const e = rmse(a, b, mask, channels);
  return e === 0 ? Infinity : -20 * Math.log10(e);
}

/** Separable Gaussian blur of one plane (borders clamp). */
function blurPlane(x: Float64Array, w: number, h: number, kernel: number[]): Float64Array {
  const r = (kernel.length - 1) / 2;
  const tmp = new Float64Array(x.length);
  const out = new Float64Array(x.length);
  for (let y = 0; y < h; y++)
    for (let i = 0; i < w; i++) {
      let s = 0;
      for (let k = -r; k <= r; k++) s += kernel[k + r] * x[y * w + Math.min(w - 1, Math.max(0, i + k))];
      tmp[y * w + i] = s;
    }
  for (let y = 0; y < h; y++)
    for (let i = 0; i < w; i++) {
      let s = 0;
      for (let k = -r; k <= r; k++) s += kernel[k + r] * tmp[Math.min(h - 1, Math.max(0, y + k)) * w + i];
      out[y * w + i] = s;
    }
  return out;
}

function gaussianKernel(sigma: number, radius: number): number[] {
  const k = Array.from({ length: 2 * radius + 1 }, (_, i) =>
    Math.exp(-((i - radius) ** 2) / (2 * sigma * sigma)),
  );
  const s = k.reduce((a, b) => a + b, 0);
  return k.map((v) => v / s);
}

/**
 * Mean SSIM over the masked pixels (Wang, Bovik, Sheikh & Simoncelli, "Image quality assessment: from
 * error visibility to structural similarity", IEEE TIP 2004: 11×11 Gaussian window σ = 1.5,
 * K1 = 0.01, K2 = 0.03, dynamic range L = 1), averaged over the first `channels` channels.
 */
export function ssim(a: FloatImage, b: FloatImage, mask: ArrayLike<number>, channels = 3): number {
  const n = check(a, b, mask);
  if (!n) return NaN;
  const { width: w, height: h } = a;
  const kernel = gaussianKernel(1.5, 5);
  const c1 = 0.01 ** 2;
  const c2 = 0.03 ** 2;
  let total = 0;
  for (let k = 0; k < channels; k++) {
    const x = new Float64Array(w * h);
    const y = new Float64Array(w * h);
    for (let i = 0; i < w * h; i++) {
      x[i] = a.data[i * a.channels + k];
      y[i] = b.data[i * b.channels + k];
    }
    const mx = blurPlane(x, w, h, kernel);
    const my = blurPlane(y, w, h, kernel);
    const xx = blurPlane(
      x.map((v) => v * v),
      w,
      h,
      kernel,
    );
    const yy = blurPlane(
      y.map((v) => v * v),
      w,
      h,
      kernel,
    );
    const xy = blurPlane(
      x.map((v, i) => v * y[i]),
      w,
      h,
      kernel,
    );
    let s = 0;
    for (let i = 0; i < w * h; i++) {
      if (mask[i] <= 0.5) continue;
      const vx = xx[i] - mx[i] ** 2;
      const vy = yy[i] - my[i] ** 2;
      const cov = xy[i] - mx[i] * my[i];
      s += ((2 * mx[i] * my[i] + c1) * (2 * cov + c2)) / ((mx[i] ** 2 + my[i] ** 2 + c1) * (vx + vy + c2));
    }
    total += s / n;
  }
  return total / channels;
}

/** Mean angle in degrees between unit vectors (xyz per pixel, any scale) over the masked pixels. */
export function meanAngularErrorDeg(a: FloatImage, b: FloatImage, mask: ArrayLike<number>): number {
  const n = check(a, b, mask);
  if (!n) return NaN;
  let s = 0;
  for (let i = 0; i < mask.length; i++) {
    if (mask[i] <= 0.5) continue;
    const p = a.data.subarray(i * a.channels, i * a.channels + 3);
    const q = b.data.subarray(i * b.channels, i * b.channels + 3);
    const dot = p[0] * q[0] + p[1] * q[1] + p[2] * q[2];
    const cross = Math.hypot(p[1] * q[2] - p[2] * q[1], p[2] * q[0] - p[0] * q[2], p[0] * q[1] - p[1] * q[0]);
    s += Math.atan2(cross, dot);
  }
  return ((s / n) * 180) / Math.PI;
}

/** CIE 1976 L*a*b* (D65 white) of a linear-sRGB pixel (its first three values). */
export const labOf = (rgb: ArrayLike<number>): [number, number, number] =>
  linearRgbToLab(rgb[0], rgb[1], rgb[2]);

/**
 * Individual Typology Angle in degrees, ITA = atan((L* − 50) / b*) · 180/π (Chardon, Cretois &
 * Hourseau, "Skin colour typology and suntanning pathways", Int. J. Cosmet. Sci. 1991): > 55 very
 * light, 41–55 light, 28–41 intermediate, 10–28 tan, −30–10 brown, < −30 dark.
 */
export function ita(lab: readonly number[]): number {
  return (Math.atan2(lab[0] - 50, lab[2]) * 180) / Math.PI;
}

export const ITA_BINS = [
  { name: 'very light', min: 55 },
  { name: 'light', min: 41 },
  { name: 'intermediate', min: 28 },
  { name: 'tan', min: 10 },
  { name: 'brown', min: -30 },
  { name: 'dark', min: -Infinity },
] as const;

export function itaBin(angle: number): string {
  return ITA_BINS.find((b) => angle > b.min)!.name;
}

/**
 * CIEDE2000 colour difference (Sharma, Wu & Dalal, "The CIEDE2000 color-difference formula:
 * implementation notes, supplementary test data, and mathematical observations", Color Res. Appl.
 * 2005), kL = kC = kH = 1.
 */
export function deltaE2000(lab1: readonly number[], lab2: readonly number[]): number {
  const [L1, a1, b1] = lab1;
  const [L2, a2, b2] = lab2;
  const deg = Math.PI / 180;
  const C1 = Math.hypot(a1, b1);
  const C2 = Math.hypot(a2, b2);
  const Cm = (C1 + C2) / 2;
  const G = 0.5 * (1 - Math.sqrt(Cm ** 7 / (Cm ** 7 + 25 ** 7)));
  const a1p = (1 + G) * a1;
  const a2p = (1 + G) * a2;
  const C1p = Math.hypot(a1p, b1);
  const C2p = Math.hypot(a2p, b2);
  const hue = (b: number, a: number) => {
    if (a === 0 && b === 0) return 0;
    const h = Math.atan2(b, a) / deg;
    return h < 0 ? h + 360 : h;
  };
  const h1p = hue(b1, a1p);
  const h2p = hue(b2, a2p);
  const dL = L2 - L1;
  const dC = C2p - C1p;
  let dh = 0;
  if (C1p * C2p !== 0) {
    dh = h2p - h1p;
    if (dh > 180) dh -= 360;
    else if (dh < -180) dh += 360;
  }
  const dH = 2 * Math.sqrt(C1p * C2p) * Math.sin((dh / 2) * deg);
  const Lm = (L1 + L2) / 2;
  const Cmp = (C1p + C2p) / 2;
  let hm = h1p + h2p;
  if (C1p * C2p !== 0) {
    if (Math.abs(h1p - h2p) <= 180) hm = (h1p + h2p) / 2;
    else hm = h1p + h2p < 360 ? (h1p + h2p + 360) / 2 : (h1p + h2p - 360) / 2;
  }
  const T =
    1 -
    0.17 * Math.cos((hm - 30) * deg) +
    0.24 * Math.cos(2 * hm * deg) +
    0.32 * Math.cos((3 * hm + 6) * deg) -
    0.2 * Math.cos((4 * hm - 63) * deg);
  const dTheta = 30 * Math.exp(-(((hm - 275) / 25) ** 2));
  const Rc = 2 * Math.sqrt(Cmp ** 7 / (Cmp ** 7 + 25 ** 7));
  const Sl = 1 + (0.015 * (Lm - 50) ** 2) / Math.sqrt(20 + (Lm - 50) ** 2);
  const Sc = 1 + 0.045 * Cmp;
  const Sh = 1 + 0.015 * Cmp * T;
  const Rt = -Math.sin(2 * dTheta * deg) * Rc;
  return Math.sqrt((dL / Sl) ** 2 + (dC / Sc) ** 2 + (dH / Sh) ** 2 + Rt * (dC / Sc) * (dH / Sh));
}

/** Mean linear RGB over the masked pixels. */
export function maskedMean(img: FloatImage, mask: ArrayLike<number>): [number, number, number] {
  const s = [0, 0, 0];
  let n = 0;
  for (let i = 0; i < mask.length; i++) {
    if (mask[i] <= 0.5) continue;
    for (let k = 0; k < 3; k++) s[k] += img.data[i * img.channels + k];
    n++;
  }
  return n ? [s[0] / n, s[1] / n, s[2] / n] : [NaN, NaN, NaN];
}

/** Mean per-pixel ΔE2000 between two linear-RGB albedos over the masked pixels. */
export function meanDeltaE2000(a: FloatImage, b: FloatImage, mask: ArrayLike<number>): number {
  const n = check(a, b, mask);
  if (!n) return NaN;
  let s = 0;
  for (let i = 0; i < mask.length; i++) {
    if (mask[i] <= 0.5) continue;
    const p = Array.from(a.data.subarray(i * a.channels, i * a.channels + 3));
    const q = Array.from(b.data.subarray(i * b.channels, i * b.channels + 3));
    s += deltaE2000(labOf(p), labOf(q));
  }
  return s / n;
}

/** Cosine similarity of two descriptors. */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return ab / Math.sqrt(aa * bb);
}

export function median(values: readonly number[]): number {
  const v = values.filter(Number.isFinite).sort((x, y) => x - y);
  if (!v.length) return NaN;
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

export function mean(values: readonly number[]): number {
  const v = values.filter(Number.isFinite);
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : NaN;
}
