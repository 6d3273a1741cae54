import { describe, expect, it } from 'vitest';
import { compareArrays, randomArray, rng, useGpuPage } from '@avatarme/testing';
import type { MeshCase } from './backward.gpu.ts';
import { interpolateReference, textureReference } from './reference.ts';
import { antialiasReference } from './reference-antialias.ts';
import { fixedPointAddend, fixedPointToFloat } from './reference-fixed-point.ts';

const gpu = useGpuPage();
const page = gpu.module<typeof import('./backward.gpu.ts')>(new URL('./backward.gpu.ts', import.meta.url));

/** Central differences of f (a scalar loss) with respect to x[i], for each i in `which`. */
function centralDiff(
  x: Float32Array | Float64Array,
  which: number[],
  eps: number,
  f: () => number,
): Float64Array {
  const out = new Float64Array(which.length);
  which.forEach((i, k) => {
    const x0 = x[i];
    x[i] = x0 + eps;
    const lp = f();
    x[i] = x0 - eps;
    const lm = f();
    x[i] = x0;
    out[k] = (lp - lm) / (2 * eps);
  });
  return out;
}

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const maxAbs = (a: ArrayLike<number>) => Array.from(a).reduce((m, v) => Math.max(m, Math.abs(v)), 0);

/** Clip-space positions from pixel x, y, depth z and w. */
function clip(v: number[][], width: number, height: number): Float32Array {
  return new Float32Array(
    v.flatMap(([x, y, z, w]) => [((2 * x) / width - 1) * w, ((2 * y) / height - 1) * w, z * w, w]),
  );
}

function soup(seed: number, count: number, width: number, height: number) {
  const r = rng(seed);
  const v: number[][] = [];
  for (let t = 0; t < 3 * count; t++) v.push([r() * width, r() * height, r() * 1.6 - 0.8, 0.6 + r()]);
  return { pos: clip(v, width, height), tris: Uint32Array.from(range(3 * count)) };
}

describe('interpolate backward: gradient check against central differences of the CPU reference', () => {
  it('∂L/∂attr and ∂L/∂(u, v) for 5 channels over a random perspective soup, 13×11', async () => {
    const [width, height, channels] = [13, 11, 5];
    const { pos, tris } = soup(3, 8, width, height);
    const V = pos.length / 4;
    const values = randomArray(V * channels, 4);
    const dy = randomArray(width * height * channels, 5);
    const c: MeshCase = { pos, tris, width, height, values, channels, dy };
    const got = await page.runInterpolateBackward(c);
    const rast = Float64Array.from(got.rast);
    const attr = Float64Array.from(values);
    const loss = () =>
      dot(interpolateReference(Float32Array.from(attr), channels, Float32Array.from(rast), tris), dy);
    // The loss is linear in the attributes and in (u, v): a central difference is exact up to the
    // float32 rounding of interpolateReference's output (~6e-8 of values ≤ 3, over 2·eps = 0.2 → ~1e-6
    // per pixel, ≲ 1e-4 summed over 143 pixels). The GPU sums ≲ 40 terms per vertex in fixed point,
    // each rounded to 2^-32 (≈ 2.3e-10). atol 5e-4.
    const fdAttr = centralDiff(attr, range(V * channels), 0.1, loss);
    const cmpA = compareArrays(got.dAttr, fdAttr, { atol: 5e-4, label: 'dAttr' });
    expect(cmpA.ok, cmpA.message).toBe(true);
    const covered = range(width * height).filter((p) => rast[4 * p + 3] !== 0);
    expect(covered.length).toBeGreaterThan(20);
    const uv = covered.flatMap((p) => [4 * p, 4 * p + 1]);
    const fdUv = centralDiff(rast, uv, 0.1, loss);
    const gotUv = uv.map((i) => got.dRast[i]);
    const cmpUv = compareArrays(gotUv, fdUv, { atol: 5e-4, label: 'dRast (u, v)' });
    expect(cmpUv.ok, cmpUv.message).toBe(true);
    expect(got.liveBuffers).toBe(0);
  });
});

describe('texture backward: gradient check against central differences of the CPU reference', () => {
  for (const space of ['uv', 'pixel'] as const) {
    it(`∂L/∂tex and ∂L/∂coords, bilinear, ${space} coordinates past the borders${space === 'pixel' ? ', masked' : ''}`, async () => {
      const [tw, th, ch] = [5, 4, 6];
      const [w, h] = [7, 6];
      const tex = randomArray(tw * th * ch, 31);
      const coords = randomArray(w * h * 2, 32, space === 'uv' ? -0.2 : -1, space === 'uv' ? 1.2 : 6);
      const dy = randomArray(w * h * ch, 33);
      const mask =
        space === 'pixel'
          ? new Float32Array(w * h * 4).map((_, i) => (i % 4 === 3 ? (i >> 2) % 3 : 0))
          : undefined;
      const got = await page.runTextureBackward({
        tex,
        texShape: [1, th, tw, ch],
        coords,
        coordShape: [1, h, w, 2],
        dy,
        mask,
        space,
      });
      const t64 = Float64Array.from(tex);
      const c64 = Float64Array.from(coords);
      const loss = () =>
        dot(
          textureReference(Float32Array.from(t64), tw, th, ch, Float32Array.from(c64), 2, { space, mask }),
          dy,
        );
      // Linear in the texture: exact up to the reference's float32 output (as for interpolate).
      const fdTex = centralDiff(t64, range(tw * th * ch), 0.1, loss);
      const cmpT = compareArrays(got.dTex, fdTex, { atol: 5e-4, label: 'dTex' });
      expect(cmpT.ok, cmpT.message).toBe(true);
      // Piecewise bilinear in the coordinates: eps = 1e-3 texel, and coordinates whose ±eps crosses a
      // texel centre (a kink) are left out. The reference's float32 output (~1e-7 of the loss) over
      // 2·eps gives ≲ 1e-3 of FD noise for derivatives of O(1…10): atol 5e-3, rtol 1e-3.
      const scale = space === 'uv' ? [tw, th] : [1, 1];
      const eps = 1e-3;
      const smooth = range(w * h * 2).filter((i) => {
        const p = coords[i] * scale[i % 2] - 0.5;
        return Math.floor(p - eps * scale[i % 2]) === Math.floor(p + eps * scale[i % 2]);
      });
      const fdC = centralDiff(c64, smooth, eps, loss);
      const gotC = smooth.map((i) => got.dCoords[4 * Math.floor(i / 2) + (i % 2)]);
      const cmpC = compareArrays(gotC, fdC, { atol: 5e-3, rtol: 1e-3, label: 'dCoords' });
      expect(cmpC.ok, cmpC.message).toBe(true);
      expect(maxAbs(fdC)).toBeGreaterThan(0.1);
      expect(got.liveBuffers).toBe(0);
    });
  }
});

describe('antialias: parity and gradient check', () => {
  // A perspective quad (two triangles sharing a diagonal) in front of a larger triangle, over an empty
  // background, 16×14: silhouettes against the background and against the triangle behind, and one
  // interior edge (the diagonal) that must not blend.
  const [width, height, channels] = [16, 14, 3];
  const pos = clip(
    [
      [3.3, 2.7, -0.3, 1.2],
      [11.6, 3.4, -0.2, 0.9],
      [12.4, 10.8, -0.3, 1.1],
      [2.8, 9.9, -0.25, 1.0],
      [6.2, -4.1, 0.4, 1.3],
      [17.7, 12.6, 0.5, 0.8],
      [1.3, 13.2, 0.45, 1.05],
    ],
    width,
    height,
  );
  const tris = new Uint32Array([0, 1, 2, 0, 2, 3, 4, 5, 6]);
  const values = randomArray(width * height * channels, 41, 0, 1);
  const dy = randomArray(width * height * channels, 42);

  it('matches the CPU reference, and its gradients match central differences (raster held fixed)', async () => {
    const got = await page.runAntialias({ pos, tris, width, height, values, channels, dy });
    const rast = got.rast;
    // Forward: float32 edge functions of coordinates ≲ 20 px (relative ~1e-7) move t by ~1e-6: atol 1e-5.
    const want = antialiasReference(values, channels, rast, pos, tris, width, height);
    const cmpF = compareArrays(got.out, want, { atol: 1e-5, label: 'antialias forward' });
    expect(cmpF.ok, cmpF.message).toBe(true);
    const changed = range(want.length).filter((i) => want[i] !== values[i]).length;
    expect(changed).toBeGreaterThan(10);

    const col = Float64Array.from(values);
    const p64 = Float64Array.from(pos);
    const loss = () => dot(antialiasReference(col, channels, rast, p64, tris, width, height), dy);
    // Colour: linear, the reference is float64: exact but for the GPU's float32 (atol 1e-5).
    const fdC = centralDiff(col, range(col.length), 0.1, loss);
    const cmpC = compareArrays(got.dColor, fdC, { atol: 1e-5, label: 'dColor' });
    expect(cmpC.ok, cmpC.message).toBe(true);
    // Positions (x, y, w of each vertex; z has no effect): float64 central differences with eps 1e-5
    // clip units (~1e-4 px), far from any kink at these coordinates; the GPU's float32 edge functions
    // carry ~1e-6 relative error into t and its derivatives: atol 1e-3 of the largest gradient.
    const idx = range(7).flatMap((v) => [4 * v, 4 * v + 1, 4 * v + 3]);
    const fdP = centralDiff(p64, idx, 1e-5, loss);
    const gotP = idx.map((i) => got.dPos[i]);
    const cmpP = compareArrays(gotP, fdP, { atol: 1e-3 * maxAbs(fdP), label: 'dPos' });
    expect(cmpP.ok, cmpP.message).toBe(true);
    expect(maxAbs(fdP)).toBeGreaterThan(0.1);
    expect(range(7).every((v) => got.dPos[4 * v + 2] === 0)).toBe(true);
    expect(got.liveBuffers).toBe(0);
  });
});

describe('scatter-adds in fixed point: order-independent sums', () => {
  // A 3×3-vertex grid of 8 triangles over most of a 64×48 image (each vertex gathers hundreds of
  // pixels' addends, many invocations hit one word at once), and a 4×4 texture sampled at every pixel.
  const [width, height, channels] = [64, 48, 5];
  const grid: number[][] = [];
  for (let j = 0; j < 3; j++)
    for (let i = 0; i < 3; i++)
      grid.push([4 + 27 * i + 3 * j, 3 + 20 * j + 2 * i, 0.1 * i - 0.2, 1 + 0.2 * j]);
  const pos = clip(grid, width, height);
  const tris = new Uint32Array(
    [0, 1].flatMap((j) =>
      [0, 1].flatMap((i) => {
        const a = 3 * j + i;
        return [a, a + 1, a + 4, a, a + 4, a + 3];
      }),
    ),
  );
  const values = randomArray(9 * channels, 51);
  const dy = randomArray(width * height * channels, 52);
  const tex = {
    tex: randomArray(4 * 4 * 3, 53),
    texShape: [1, 4, 4, 3] as [number, number, number, number],
    coords: randomArray(width * height * 2, 54, -0.1, 1.1),
    coordShape: [1, height, width, 2] as [number, number, number, number],
    dy: randomArray(width * height * 3, 55),
    space: 'uv' as const,
  };

  it('interpolate backward equals the exact sum of its rounded addends, and three runs of every op agree bit for bit', async () => {
    const got = await page.runBackwardRepeated({
      pos,
      tris,
      width,
      height,
      values,
      channels,
      dy,
      tex,
      runs: 3,
    });
    // The exact sum: each addend b·dy as float32 (the kernel's product), rounded to units of 2^-32,
    // summed as integers, converted as fixed-point.wgsl does. Any summation order gives these bits.
    const sums = new Array<bigint>(9 * channels).fill(0n);
    const f = Math.fround;
    for (let p = 0; p < width * height; p++) {
      const id = got.rast[4 * p + 3];
      if (id === 0) continue;
      const t = id - 1;
      const [x, y] = [got.rast[4 * p], got.rast[4 * p + 1]];
      const b = [x, y, f(f(1 - x) - y)];
      for (let k = 0; k < 3; k++)
        for (let c = 0; c < channels; c++)
          sums[tris[3 * t + k] * channels + c] += fixedPointAddend(f(b[k] * dy[p * channels + c]));
    }
    const want = Float32Array.from(sums, fixedPointToFloat);
    const covered = range(width * height).filter((p) => got.rast[4 * p + 3] !== 0).length;
    expect(covered).toBeGreaterThan(0.6 * width * height);
    const first = got.runs[0];
    const diff = range(want.length).filter((i) => first.dAttr[i] !== want[i]);
    expect(diff.map((i) => [i, first.dAttr[i], want[i]])).toEqual([]);
    for (const run of got.runs.slice(1)) {
      for (const key of ['dAttr', 'dTex', 'dPos'] as const) {
        expect(Buffer.from(run[key].buffer).equals(Buffer.from(first[key].buffer)), key).toBe(true);
      }
    }
    expect(maxAbs(first.dTex)).toBeGreaterThan(1);
    expect(maxAbs(first.dPos)).toBeGreaterThan(1);
    expect(got.liveBuffers).toBe(0);
  });
});
