/** CPU meaning of the IBL kernels (float64), same sample sets and mappings as the WGSL. */

const PI = Math.PI;

export function equirectDirection(px: number, py: number, w: number, h: number): [number, number, number] {
  const lat = PI * (0.5 - py / h);
  const phi = 2 * PI * (px / w - 0.5);
  return [Math.cos(phi) * Math.cos(lat), Math.sin(lat), Math.sin(phi) * Math.cos(lat)];
}

/** Real SH basis, bands 0–2, in the kernels' order. */
export function shBasis(x: number, y: number, z: number): number[] {
  return [
    0.282095,
    0.488603 * y,
    0.488603 * z,
    0.488603 * x,
    1.092548 * x * y,
    1.092548 * y * z,
    0.315392 * (3 * z * z - 1),
    1.092548 * x * z,
    0.546274 * (x * x - y * y),
  ];
}

/** env: [H, W, 4] row-major rgb+pad; returns 9 × 4 (rgb, 0). */
export function shProjectReference(env: Float32Array, h: number, w: number): Float32Array {
  const out = new Float64Array(36);
  for (let y = 0; y < h; y++) {
    const lat = PI * (0.5 - (y + 0.5) / h);
    const dOmega = ((2 * PI) / w) * (PI / h) * Math.cos(lat);
    for (let x = 0; x < w; x++) {
      const [dx, dy, dz] = equirectDirection(x + 0.5, y + 0.5, w, h);
      const basis = shBasis(dx, dy, dz);
      for (let k = 0; k < 9; k++)
        for (let c = 0; c < 3; c++) out[k * 4 + c] += env[(y * w + x) * 4 + c] * dOmega * basis[k];
    }
  }
  return Float32Array.from(out);
}

/** Irradiance E(n) from radiance SH (Â_l = π, 2π/3, π/4). */
export function shIrradiance(sh: ArrayLike<number>, n: readonly number[], c: number): number {
  const a = [PI, (2 * PI) / 3, (2 * PI) / 3, (2 * PI) / 3, PI / 4, PI / 4, PI / 4, PI / 4, PI / 4];
  const basis = shBasis(n[0], n[1], n[2]);
  let e = 0;
  for (let k = 0; k < 9; k++) e += a[k] * sh[k * 4 + c] * basis[k];
  return e;
}

export function radicalInverse(i: number): number {
  let b = ((i << 16) | (i >>> 16)) >>> 0;
  b = (((b & 0x55555555) << 1) | ((b & 0xaaaaaaaa) >>> 1)) >>> 0;
  b = (((b & 0x33333333) << 2) | ((b & 0xcccccccc) >>> 2)) >>> 0;
  b = (((b & 0x0f0f0f0f) << 4) | ((b & 0xf0f0f0f0) >>> 4)) >>> 0;
  b = (((b & 0x00ff00ff) << 8) | ((b & 0xff00ff00) >>> 8)) >>> 0;
  return b * 2.3283064365386963e-10;
}

/** Half vector of GGX sample i of n in the frame (0, 0, 1). */
function ggxHalf(i: number, samples: number, a: number): [number, number, number] {
  const e1 = (i + 0.5) / samples;
  const phi = 2 * PI * radicalInverse(i);
  const cosT = Math.sqrt((1 - e1) / (1 + (a * a - 1) * e1));
  const sinT = Math.sqrt(Math.max(1 - cosT * cosT, 0));
  return [sinT * Math.cos(phi), sinT * Math.sin(phi), cosT];
}

/** Bilinear lookup in direction d (u wraps, v clamps). */
export function sampleEquirect(env: Float32Array, h: number, w: number, d: readonly number[]): number[] {
  const u = Math.atan2(d[2], d[0]) / (2 * PI) + 0.5;
  const v = 0.5 - Math.asin(Math.min(1, Math.max(-1, d[1]))) / PI;
  const fx = u * w - 0.5;
  const fy = v * h - 0.5;
  const x0 = Math.floor(fx);
  const y0 = Math.floor(fy);
  const tx = fx - x0;
  const ty = fy - y0;
  const at = (x: number, y: number, c: number) => {
    const xx = ((x % w) + w) % w;
    const yy = Math.min(Math.max(y, 0), h - 1);
    return env[(yy * w + xx) * 4 + c];
  };
  return [0, 1, 2].map((c) => {
    const top = at(x0, y0, c) * (1 - tx) + at(x0 + 1, y0, c) * tx;
    const bottom = at(x0, y0 + 1, c) * (1 - tx) + at(x0 + 1, y0 + 1, c) * tx;
    return top * (1 - ty) + bottom * ty;
  });
}

const cross = (a: number[], b: number[]) => [
  a[1] * b[2] - a[2] * b[1],
  a[2] * b[0] - a[0] * b[2],
  a[0] * b[1] - a[1] * b[0],
];
const normalize = (v: number[]) => {
  const l = Math.hypot(v[0], v[1], v[2]);
  return v.map((x) => x / l);
};

/** Heights of the mip levels of an equirect map of height h (as equirectMipHeights). */
function mipHeights(h: number): number[] {
  const heights = [h];
  while (heights[heights.length - 1] > 1) heights.push(Math.max(heights[heights.length - 1] >> 1, 1));
  return heights;
}

/**
 * The mip chain of an equirect map [H, 2H, 4] as equirectMips lays it out (level 0 first): each
 * coarser texel is the mean of the finer texels whose centres fall in its cell, weighted by the
 * cosine of their row's latitude.
 */
export function equirectMipsReference(env: Float32Array, h: number): Float32Array[] {
  const levels = [env.slice(0, 2 * h * h * 4)];
  const heights = mipHeights(h);
  for (let k = 1; k < heights.length; k++) {
    const [sh, dh] = [heights[k - 1], heights[k]];
    const [sw, dw] = [2 * sh, 2 * dh];
    const src = levels[k - 1];
    const dst = new Float32Array(dh * dw * 4);
    for (let y = 0; y < dh; y++)
      for (let x = 0; x < dw; x++) {
        const y0 = Math.floor((y * sh) / dh);
        const y1 = Math.max(Math.ceil(((y + 1) * sh) / dh), y0 + 1);
        const x0 = Math.floor((x * sw) / dw);
        const x1 = Math.max(Math.ceil(((x + 1) * sw) / dw), x0 + 1);
        const acc = [0, 0, 0];
        let wsum = 0;
        for (let yy = y0; yy < y1; yy++) {
          const w = Math.cos(PI * (0.5 - (yy + 0.5) / sh));
          for (let xx = x0; xx < x1; xx++) {
            for (let c = 0; c < 3; c++) acc[c] += src[(yy * sw + xx) * 4 + c] * w;
            wsum += w;
          }
        }
        const i = (y * dw + x) * 4;
        for (let c = 0; c < 3; c++) dst[i + c] = acc[c] / wsum;
        dst[i + 3] = 1;
      }
    levels.push(dst);
  }
  return levels;
}

/**
 * GGX-prefiltered radiance with filtered importance sampling, as prefilter.wgsl: each sample reads the
 * mip chain trilinearly at lod = ½·log2(Ω_sample / Ω_texel), Ω_sample = 1 / (N · D / 4).
 */
export function prefilterReference(
  env: Float32Array,
  srcH: number,
  srcW: number,
  o: { levels: number; height: number; samples: number },
): Float32Array {
  const mips = equirectMipsReference(env, srcH);
  const heights = mipHeights(srcH);
  const sampleLod = (lod: number, d: readonly number[]) => {
    const k0 = Math.floor(lod);
    const k1 = Math.min(k0 + 1, mips.length - 1);
    const t = lod - k0;
    const c0 = sampleEquirect(mips[k0], heights[k0], 2 * heights[k0], d);
    const c1 = sampleEquirect(mips[k1], heights[k1], 2 * heights[k1], d);
    return c0.map((v, c) => v * (1 - t) + c1[c] * t);
  };
  const texelOmega = (4 * PI) / (srcW * srcH);
  const h = o.height;
  const w = 2 * h;
  const out = new Float32Array(o.levels * h * w * 4);
  for (let level = 0; level < o.levels; level++) {
    const r = level / Math.max(o.levels - 1, 1);
    const a = r * r;
    const a2 = a * a;
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const n = equirectDirection(x + 0.5, y + 0.5, w, h);
        const i = ((level * h + y) * w + x) * 4;
        out[i + 3] = 1;
        if (a < 1e-4) {
          out.set(sampleEquirect(mips[0], srcH, srcW, n), i);
          continue;
        }
        const up = Math.abs(n[1]) < 0.999 ? [0, 1, 0] : [1, 0, 0];
        const tx = normalize(cross(up, n));
        const ty = cross(n, tx);
        const acc = [0, 0, 0];
        let wsum = 0;
        for (let s = 0; s < o.samples; s++) {
          const hl = ggxHalf(s, o.samples, a);
          const hv = [0, 1, 2].map((k) => tx[k] * hl[0] + ty[k] * hl[1] + n[k] * hl[2]);
          const nh = n[0] * hv[0] + n[1] * hv[1] + n[2] * hv[2];
          const l = hv.map((v, k) => 2 * nh * v - n[k]);
          const nl = n[0] * l[0] + n[1] * l[1] + n[2] * l[2];
          if (nl <= 0) continue;
          const dd = hl[2] * hl[2] * (a2 - 1) + 1;
          const pdf = a2 / (PI * dd * dd) / 4;
          const lod = Math.min(
            Math.max(0.5 * Math.log2(1 / (o.samples * pdf) / texelOmega), 0),
            mips.length - 1,
          );
          const c = sampleLod(lod, l);
          for (let k = 0; k < 3; k++) acc[k] += c[k] * nl;
          wsum += nl;
        }
        for (let k = 0; k < 3; k++) out[i + k] = acc[k] / Math.max(wsum, 1e-8);
      }
  }
  return out;
}

export function brdfLutReference(size: number, samples: number): Float32Array {
  const out = new Float32Array(size * size * 4);
  for (let j = 0; j < size; j++)
    for (let i = 0; i < size; i++) {
      const nv = (i + 0.5) / size;
      const r = (j + 0.5) / size;
      const a = r * r;
      const v = [Math.sqrt(1 - nv * nv), 0, nv];
      let sa = 0;
      let sb = 0;
      for (let s = 0; s < samples; s++) {
        const h = ggxHalf(s, samples, a);
        const vh0 = v[0] * h[0] + v[1] * h[1] + v[2] * h[2];
        const l = h.map((x, k) => 2 * vh0 * x - v[k]);
        const nl = l[2];
        const nh = h[2];
        const vh = Math.max(vh0, 0);
        if (nl <= 0) continue;
        const a2 = a * a;
        const vis = 0.5 / (nl * Math.sqrt(nv * nv * (1 - a2) + a2) + nv * Math.sqrt(nl * nl * (1 - a2) + a2));
        const g = (vis * 4 * nl * vh) / nh;
        const fc = (1 - vh) ** 5;
        sa += (1 - fc) * g;
        sb += fc * g;
      }
      out[(j * size + i) * 4] = sa / samples;
      out[(j * size + i) * 4 + 1] = sb / samples;
    }
  return out;
}
