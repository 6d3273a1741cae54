import { linearToSrgb, luminance as relativeLuminance, srgbToLinear } from '../math/colour.ts';

/** CPU reference of analytic.wgsl (dense HWC arrays). */
export function analyticPassReference(
  tex: Float32Array,
  ratio: Float32Array,
  mask: Float32Array,
  specularIn: Float32Array,
  w: number,
  h: number,
  o: { outsideSpecular: number },
): { albedo: Float32Array; specular: Float32Array; luminance: Float32Array } {
  const albedo = new Float32Array(w * h * 3);
  const specular = new Float32Array(w * h);
  const luminance = new Float32Array(w * h);
  for (let i = 0; i < w * h; i++) {
    const inside = mask[i] > 0.5;
    const lin = [0, 1, 2].map((c) => {
      const l = srgbToLinear(tex[i * 3 + c]);
      return inside ? Math.min(Math.max(l * Math.max(ratio[i * 3 + c], 0), 0), 1) : l;
    });
    albedo.set(lin.map(linearToSrgb), i * 3);
    luminance[i] = relativeLuminance(lin[0], lin[1], lin[2]);
    specular[i] = inside ? Math.min(Math.max(specularIn[i], 0), 1) : o.outsideSpecular;
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
