import type { SubsurfaceBlurOptions } from './subsurface.ts';

/**
 * CPU reference for subsurfaceBlur on a dense [N, H, W, 4] array: the same two passes (x, then y) in
 * f64, with the per-pixel kernel size (σ_px, stride, taps) computed in f32 as the shader does.
 */
export function subsurfaceBlurReference(
  x: Float32Array,
  shape: readonly number[],
  o: SubsurfaceBlurOptions,
): Float32Array {
  const [n, h, w] = shape;
  const maxTaps = o.maxTaps ?? 32;
  const f = Math.fround;
  const pass = (src: Float32Array, axis: 0 | 1): Float32Array => {
    const dst = new Float32Array(src.length);
    const focal = f(o.focalPx[axis]);
    const width = f(o.widthMm);
    for (let b = 0; b < n; b++)
      for (let y = 0; y < h; y++)
        for (let xx = 0; xx < w; xx++) {
          const i = (b * h + y) * w + xx;
          const depth = src[i * 4 + 3];
          if (depth <= 0) {
            dst.set(src.subarray(i * 4, i * 4 + 4), i * 4);
            continue;
          }
          const along = axis === 0 ? xx : y;
          const len = axis === 0 ? w : h;
          const step = axis === 0 ? 1 : w;
          const sigmaPx = f(f(width * focal) / depth);
          const reach = f(3 * sigmaPx);
          const stride = Math.max(1, Math.ceil(f(reach / maxTaps)));
          const taps = Math.ceil(f(reach / stride));
          const acc = [src[i * 4], src[i * 4 + 1], src[i * 4 + 2]];
          let wsum = 1;
          for (let k = 1; k <= taps; k++) {
            const off = k * stride;
            for (const s of [-1, 1]) {
              const p = along + s * off;
              if (p < 0 || p >= len) continue;
              const j = i + s * off * step;
              const tapDepth = src[j * 4 + 3];
              if (tapDepth <= 0) continue;
              const dz = tapDepth - depth;
              const wk = Math.exp((-off * off) / (2 * sigmaPx * sigmaPx) - (dz * dz) / (2 * width * width));
              for (let c = 0; c < 3; c++) acc[c] += wk * src[j * 4 + c];
              wsum += wk;
            }
          }
          for (let c = 0; c < 3; c++) dst[i * 4 + c] = acc[c] / wsum;
          dst[i * 4 + 3] = depth;
        }
    return dst;
  };
  return pass(pass(x, 0), 1);
}
