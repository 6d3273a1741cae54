// Colour conversions shared by the pipeline and the evaluation: sRGB (IEC 61966-2-1) transfer,
// Rec. 709 luminance and CIE L*a*b* (D65), all on linear-light values.

/** sRGB-encoded [0, 1] to linear (IEC 61966-2-1). */
export function srgbToLinear(v: number): number {
  return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
}

/** Linear to sRGB-encoded, clamped to [0, 1]. */
export function linearToSrgb(v: number): number {
  const c = Math.min(1, Math.max(0, v));
  return c <= 0.0031308 ? c * 12.92 : 1.055 * c ** (1 / 2.4) - 0.055;
}

/** Relative luminance of a linear Rec. 709 / sRGB colour. */
export const luminance = (r: number, g: number, b: number): number => 0.2126 * r + 0.7152 * g + 0.0722 * b;

/** CIE 1976 L*a*b* (D65 white) of a linear-sRGB colour (IEC 61966-2-1 primaries). */
export function linearRgbToLab(r: number, g: number, b: number): [number, number, number] {
  const x = 0.4124564 * r + 0.3575761 * g + 0.1804375 * b;
  const y = 0.2126729 * r + 0.7151522 * g + 0.072175 * b;
  const z = 0.0193339 * r + 0.119192 * g + 0.9503041 * b;
  const f = (t: number) => (t > (6 / 29) ** 3 ? Math.cbrt(t) : t / (3 * (6 / 29) ** 2) + 4 / 29);
  const [fx, fy, fz] = [f(x / 0.95047), f(y), f(z / 1.08883)];
  return [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)];
}

/** L*a*b* of pixel `i` of an sRGB image in [0, 1] [N·3]. */
export function srgbPixelToLab(rgb: ArrayLike<number>, i: number): [number, number, number] {
  return linearRgbToLab(srgbToLinear(rgb[3 * i]), srgbToLinear(rgb[3 * i + 1]), srgbToLinear(rgb[3 * i + 2]));
}
