import { median } from '../../math/stats.ts';

/** Chromaticity distance (in robust σ) at which a pixel's weight falls to one half. */
const HALF_WEIGHT_SIGMAS = 3;
/** Smallest chromaticity spread taken from the samples: a flat-coloured face still admits shading noise. */
const MIN_SPREAD = 0.01;
/** Brightness (sum of RGB over the skin samples' median) below which a pixel is not trusted at all, and
 * where it is trusted fully: deep shadow, dark hair and glasses frames say little about the skin. */
const DARK_FLOOR = 0.15;
const DARK_FULL = 0.3;

/**
 * How skin-like each pixel of a photo is, in [0, 1] [H·W]: its chromaticity (r, g over r + g + b, which
 * shading scales away) against the median and spread (1.4826 × MAD) of the photo at `samples`, pixel
 * positions where the fitted model has skin (most of them are skin in the photo, so the median and MAD
 * ignore the rest), falling off as a Cauchy weight 1 / (1 + d²/3²); times a ramp that drops very dark
 * pixels. Hair, headwear, glasses, background and teeth over the model's skin get a small weight.
 *
 * rgb: [H·W·3] in [0, 1]; samples: [N·2] pixel positions (x, y), those outside the photo are skipped.
 * Returns all ones when fewer than 16 samples fall inside the photo.
 */
export function photoSkinWeights(
  rgb: Float32Array,
  width: number,
  height: number,
  samples: ArrayLike<number>,
): Float32Array {
  const out = new Float32Array(width * height).fill(1);
  const [cr, cg, sum]: number[][] = [[], [], []];
  for (let i = 0; i < samples.length / 2; i++) {
    const x = Math.floor(samples[2 * i]);
    const y = Math.floor(samples[2 * i + 1]);
    if (!(x >= 0 && y >= 0 && x < width && y < height)) continue;
    const o = 3 * (y * width + x);
    const s = rgb[o] + rgb[o + 1] + rgb[o + 2];
    if (s <= 1e-4) continue;
    cr.push(rgb[o] / s);
    cg.push(rgb[o + 1] / s);
    sum.push(s);
  }
  if (cr.length < 16) return out;
  const [mr, mg, ms] = [median(cr), median(cg), median(sum)];
  const sr = Math.max(MIN_SPREAD, 1.4826 * median(cr.map((v) => Math.abs(v - mr))));
  const sg = Math.max(MIN_SPREAD, 1.4826 * median(cg.map((v) => Math.abs(v - mg))));
  for (let q = 0; q < width * height; q++) {
    const s = rgb[3 * q] + rgb[3 * q + 1] + rgb[3 * q + 2];
    const dark = Math.min(1, Math.max(0, (s / ms - DARK_FLOOR) / (DARK_FULL - DARK_FLOOR)));
    if (dark === 0) {
      out[q] = 0;
      continue;
    }
    const dr = (rgb[3 * q] / s - mr) / sr;
    const dg = (rgb[3 * q + 1] / s - mg) / sg;
    out[q] = dark / (1 + (dr * dr + dg * dg) / (HALF_WEIGHT_SIGMAS * HALF_WEIGHT_SIGMAS));
  }
  return out;
}
