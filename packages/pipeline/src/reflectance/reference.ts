import { shShade } from '../lighting/sh.ts';
import type { SpecularBlob } from './analytic.ts';

const srgbToLinear = (c: number) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
const linearToSrgb = (c: number) => (c <= 0.0031308 ? c * 12.92 : 1.055 * c ** (1 / 2.4) - 0.055);

/** CPU reference of analytic.wgsl (dense HWC arrays). */
export function analyticPassReference(
  tex: Float32Array,
  normals: Float32Array,
  mask: Float32Array,
  sh: Float32Array,
  prior: SpecularBlob[],
  w: number,
  h: number,
  o: { minShading: number; baseSpecular: number; outsideSpecular: number },
): { albedo: Float32Array; specular: Float32Array; luminance: Float32Array } {
  const albedo = new Float32Array(w * h * 3);
  const specular = new Float32Array(w * h);
  const luminance = new Float32Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const inside = mask[i] > 0.5;
      let [nx, ny, nz] = [normals[i * 3], normals[i * 3 + 1], normals[i * 3 + 2]];
      const len = Math.hypot(nx, ny, nz);
      const rgb = [tex[i * 3], tex[i * 3 + 1], tex[i * 3 + 2]];
      if (inside && len * len > 0.25) {
        [nx, ny, nz] = [nx / len, ny / len, nz / len];
        for (let c = 0; c < 3; c++) {
          const s = Math.max(shShade(sh, nx, ny, nz, c * 9), o.minShading);
          rgb[c] = linearToSrgb(Math.min(Math.max(srgbToLinear(rgb[c]) / s, 0), 1));
        }
      }
      albedo.set(rgb, i * 3);
      const lin = [tex[i * 3], tex[i * 3 + 1], tex[i * 3 + 2]].map(srgbToLinear);
      luminance[i] = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2];
      const [u, v] = [(x + 0.5) / w, (y + 0.5) / h];
      let p = o.baseSpecular;
      for (const b of prior)
        p += b.amplitude * Math.exp(-0.5 * (((u - b.u) / b.radius) ** 2 + ((v - b.v) / b.radius) ** 2));
      const maxc = Math.max(...rgb);
      const sat = maxc > 1e-4 ? (maxc - Math.min(...rgb)) / maxc : 0;
      specular[i] = inside ? Math.min(Math.max(p * (1.15 - 0.6 * sat), 0), 1) : o.outsideSpecular;
    }
  return { albedo, specular, luminance };
}

/** CPU reference of detail-normals.wgsl. */
export function detailNormalsReference(
  lum: Float32Array,
  blurred: Float32Array,
  w: number,
  h: number,
  strength: number,
): Float32Array {
  const out = new Float32Array(w * h * 3);
  const hAt = (x: number, y: number) => {
    const i = Math.min(Math.max(y, 0), h - 1) * w + Math.min(Math.max(x, 0), w - 1);
    return strength * (lum[i] - blurred[i]);
  };
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const dx = 0.5 * (hAt(x + 1, y) - hAt(x - 1, y));
      const dy = 0.5 * (hAt(x, y + 1) - hAt(x, y - 1));
      const len = Math.hypot(dx, dy, 1);
      out.set([(-dx / len) * 0.5 + 0.5, (dy / len) * 0.5 + 0.5, (1 / len) * 0.5 + 0.5], (y * w + x) * 3);
    }
  return out;
}
