import { planRaster, type RasterMode } from './rasterize.ts';

// CPU references for rasterize, interpolate and texture. The rasteriser mirrors the WGSL step by step
// in float32 (Math.fround after every operation), so that ids differ from the GPU's only where an
// edge function or a depth lands within one rounding of a tie.

const f = Math.fround;

function orient(ax: number, ay: number, bx: number, by: number, px: number, py: number): number {
  return f(f(f(bx - ax) * f(py - ay)) - f(f(by - ay) * f(px - ax)));
}

interface ScreenTri {
  sx: number[];
  sy: number[];
  z: number[];
  invW: number[];
  ids: number[];
  sign: number;
}

function screenTriangle(
  pos: Float32Array,
  tris: Uint32Array,
  t: number,
  w: number,
  h: number,
): ScreenTri | null {
  const ids = [tris[3 * t], tris[3 * t + 1], tris[3 * t + 2]];
  const p = ids.map((i) => [pos[4 * i], pos[4 * i + 1], pos[4 * i + 2], pos[4 * i + 3]]);
  if (p.some((q) => !(q[3] > 0)) || ids[0] === ids[1] || ids[1] === ids[2] || ids[0] === ids[2]) return null;
  const r: ScreenTri = {
    sx: p.map((q) => f(f(f(f(q[0] / q[3]) * 0.5) + 0.5) * w)),
    sy: p.map((q) => f(f(f(f(q[1] / q[3]) * 0.5) + 0.5) * h)),
    z: p.map((q) => f(q[2] / q[3])),
    invW: p.map((q) => f(1 / q[3])),
    ids,
    sign: 1,
  };
  const area = edgeValue(r, 0, r.sx[0], r.sy[0]);
  if (area === 0) return null;
  r.sign = area > 0 ? 1 : -1;
  return r;
}

function edgeValue(r: ScreenTri, k: number, px: number, py: number): number {
  const a = (k + 1) % 3;
  const b = (k + 2) % 3;
  if (r.ids[a] < r.ids[b]) return orient(r.sx[a], r.sy[a], r.sx[b], r.sy[b], px, py);
  return -orient(r.sx[b], r.sy[b], r.sx[a], r.sy[a], px, py);
}

function ownsEdge(r: ScreenTri, k: number): boolean {
  const a = (k + 1) % 3;
  const b = (k + 2) % 3;
  let dx = f(r.sx[b] - r.sx[a]);
  let dy = f(r.sy[b] - r.sy[a]);
  if (r.ids[b] < r.ids[a]) {
    dx = -f(r.sx[a] - r.sx[b]);
    dy = -f(r.sy[a] - r.sy[b]);
  }
  dx *= r.sign;
  dy *= r.sign;
  return dy > 0 || (dy === 0 && dx < 0);
}

function edges(r: ScreenTri, px: number, py: number): number[] {
  return [0, 1, 2].map((k) => edgeValue(r, k, px, py) * r.sign);
}

function lambdas(e: number[]): number[] {
  const sum = f(f(e[0] + e[1]) + e[2]);
  return e.map((v) => f(v / sum));
}

function dot3(a: number[], b: number[]): number {
  return f(f(f(a[0] * b[0]) + f(a[1] * b[1])) + f(a[2] * b[2]));
}

/**
 * CPU rasteriser with the WGSL's conventions: pos is [V·4] clip-space, tris [T·3]; returns
 * [H·W·4] of (u, v, z/w, id + 1), zeros where empty.
 */
export function rasterizeReference(
  pos: Float32Array,
  tris: Uint32Array,
  width: number,
  height: number,
  mode?: RasterMode,
): Float32Array {
  const plan = planRaster(tris.length / 3, mode);
  // Smallest (quantised depth, id) per pixel, compared depth first: what both GPU modes keep.
  const bestDepth = new Float64Array(width * height).fill(Infinity);
  const bestId = new Int32Array(width * height).fill(-1);
  for (let t = 0; t < tris.length / 3; t++) {
    const r = screenTriangle(pos, tris, t, width, height);
    if (!r) continue;
    const x0 = Math.max(Math.ceil(f(Math.min(...r.sx) - 0.5)), 0);
    const y0 = Math.max(Math.ceil(f(Math.min(...r.sy) - 0.5)), 0);
    const x1 = Math.min(Math.floor(f(Math.max(...r.sx) - 0.5)), width - 1);
    const y1 = Math.min(Math.floor(f(Math.max(...r.sy) - 0.5)), height - 1);
    for (let py = y0; py <= y1; py++) {
      for (let px = x0; px <= x1; px++) {
        const e = edges(r, px + 0.5, py + 0.5);
        if (e.some((v, k) => v < 0 || (v === 0 && !ownsEdge(r, k)))) continue;
        const z = dot3(lambdas(e), r.z);
        if (z < -1 || z > 1) continue;
        const d01 = Math.min(Math.max(f(f(z * 0.5) + 0.5), 0), 1);
        const dq = Math.floor(f(f(d01 * plan.depthLevels) + 0.5));
        const pix = py * width + px;
        if (dq < bestDepth[pix] || (dq === bestDepth[pix] && t < bestId[pix])) {
          bestDepth[pix] = dq;
          bestId[pix] = t;
        }
      }
    }
  }
  const out = new Float32Array(width * height * 4);
  for (let pix = 0; pix < width * height; pix++) {
    const t = bestId[pix];
    if (t < 0) continue;
    const r = screenTriangle(pos, tris, t, width, height)!;
    const e = edges(r, (pix % width) + 0.5, Math.floor(pix / width) + 0.5);
    const l = lambdas(e);
    const pw = l.map((v, k) => f(v * r.invW[k]));
    const s = f(f(pw[0] + pw[1]) + pw[2]);
    out.set([f(pw[0] / s), f(pw[1] / s), dot3(l, r.z), t + 1], pix * 4);
  }
  return out;
}

/** attr is [V·C]; rast [H·W·4] from rasterizeReference; returns [H·W·C]. */
export function interpolateReference(
  attr: Float32Array,
  channels: number,
  rast: Float32Array,
  tris: Uint32Array,
): Float32Array {
  const pixels = rast.length / 4;
  const out = new Float32Array(pixels * channels);
  for (let p = 0; p < pixels; p++) {
    const id = rast[4 * p + 3];
    if (id === 0) continue;
    const t = id - 1;
    const [u, v] = [rast[4 * p], rast[4 * p + 1]];
    const w = 1 - u - v;
    const [i0, i1, i2] = [tris[3 * t], tris[3 * t + 1], tris[3 * t + 2]];
    for (let c = 0; c < channels; c++) {
      out[p * channels + c] =
        u * attr[i0 * channels + c] + v * attr[i1 * channels + c] + w * attr[i2 * channels + c];
    }
  }
  return out;
}

export interface TextureReferenceOptions {
  space?: 'uv' | 'pixel';
  filter?: 'nearest' | 'bilinear';
  /** A raster [H·W·4]: pixels with id 0 get zeros. */
  mask?: Float32Array;
}

/** tex [h·w·C], coords [H·W·cc] (channels 0, 1 used); returns [H·W·C]. */
export function textureReference(
  tex: Float32Array,
  texW: number,
  texH: number,
  channels: number,
  coords: Float32Array,
  coordChannels: number,
  opts: TextureReferenceOptions = {},
): Float32Array {
  const pixels = coords.length / coordChannels;
  const out = new Float32Array(pixels * channels);
  const at = (x: number, y: number, c: number) => {
    const cx = Math.min(Math.max(x, 0), texW - 1);
    const cy = Math.min(Math.max(y, 0), texH - 1);
    return tex[(cy * texW + cx) * channels + c];
  };
  const uv = (opts.space ?? 'uv') === 'uv';
  for (let p = 0; p < pixels; p++) {
    if (opts.mask && opts.mask[4 * p + 3] === 0) continue;
    const x = (uv ? coords[p * coordChannels] * texW : coords[p * coordChannels]) - 0.5;
    const y = (uv ? coords[p * coordChannels + 1] * texH : coords[p * coordChannels + 1]) - 0.5;
    for (let c = 0; c < channels; c++) {
      let v: number;
      if ((opts.filter ?? 'bilinear') === 'nearest') {
        v = at(Math.floor(x + 0.5), Math.floor(y + 0.5), c);
      } else {
        const [fx, fy] = [Math.floor(x), Math.floor(y)];
        const [wx, wy] = [x - fx, y - fy];
        const top = at(fx, fy, c) * (1 - wx) + at(fx + 1, fy, c) * wx;
        const bottom = at(fx, fy + 1, c) * (1 - wx) + at(fx + 1, fy + 1, c) * wx;
        v = top * (1 - wy) + bottom * wy;
      }
      out[p * channels + c] = v;
    }
  }
  return out;
}
