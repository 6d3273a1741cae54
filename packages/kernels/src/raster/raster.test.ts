import { describe, expect, it } from 'vitest';
import { compareArrays, randomArray, rng, useGpuPage } from '@avatarme/testing';
import type { RasterCase, TextureCase } from './raster.gpu.ts';
import { planRaster } from './rasterize.ts';
import { interpolateReference, rasterizeReference, textureReference } from './reference.ts';

const gpu = useGpuPage();
const page = gpu.module<typeof import('./raster.gpu.ts')>(new URL('./raster.gpu.ts', import.meta.url));

interface RasterResult {
  rast: Float32Array;
  attr?: Float32Array;
  liveBuffers: number;
}

/**
 * Parity: identical triangle ids on ≥ 99.9% of pixels (GPU and CPU round the same
 * float32 operations, but a fused multiply-add may move an edge function or a depth that lies within
 * one rounding of a tie), and barycentrics within 1e-4 wherever the ids agree (both compute them in
 * float32 from the same operands; typical differences are ~1e-7).
 */
export function checkRasterParity(
  got: Float32Array,
  want: Float32Array,
): { idMatch: number; covered: number } {
  const pixels = want.length / 4;
  let same = 0;
  let covered = 0;
  const gotB: number[] = [];
  const wantB: number[] = [];
  for (let p = 0; p < pixels; p++) {
    if (want[4 * p + 3] !== 0) covered++;
    if (got[4 * p + 3] !== want[4 * p + 3]) continue;
    same++;
    for (let k = 0; k < 3; k++) {
      gotB.push(got[4 * p + k]);
      wantB.push(want[4 * p + k]);
    }
  }
  const idMatch = same / pixels;
  expect(idMatch, `ids agree on ${same}/${pixels} pixels`).toBeGreaterThanOrEqual(0.999);
  const cmp = compareArrays(gotB, wantB, { atol: 1e-4, label: 'barycentrics and depth' });
  expect(cmp.ok, cmp.message).toBe(true);
  return { idMatch, covered };
}

/** Clip-space positions [V·4] from screen-pixel x, y, depth z in [-1, 1] and w (perspective). */
function clipFromPixels(xy: number[][], width: number, height: number): Float32Array {
  const out = new Float32Array(xy.length * 4);
  xy.forEach(([x, y, z = 0, w = 1], i) => {
    out.set([((2 * x) / width - 1) * w, ((2 * y) / height - 1) * w, z * w, w], 4 * i);
  });
  return out;
}

function randomSoup(seed: number, count: number, width: number, height: number): RasterCase {
  const r = rng(seed);
  const verts: number[][] = [];
  const tris: number[] = [];
  for (let t = 0; t < count; t++) {
    // Centres spread past the border so that some triangles cross it; sizes from a pixel to half the image.
    const cx = (r() * 1.4 - 0.2) * width;
    const cy = (r() * 1.4 - 0.2) * height;
    const size = 1 + r() * 0.5 * Math.max(width, height);
    for (let k = 0; k < 3; k++) {
      verts.push([cx + (r() - 0.5) * size, cy + (r() - 0.5) * size, r() * 1.8 - 0.9, 0.5 + r() * 2]);
      tris.push(3 * t + k);
    }
  }
  return { pos: clipFromPixels(verts, width, height), tris: new Uint32Array(tris), width, height };
}

/** A regular grid of quads, each split along a diagonal, with a shared-edge topology. */
function gridMesh(n: number, width: number, height: number, jitterSeed?: number): RasterCase {
  const r = rng(jitterSeed ?? 1);
  const verts: number[][] = [];
  for (let j = 0; j <= n; j++)
    for (let i = 0; i <= n; i++) {
      const inner = i > 0 && i < n && j > 0 && j < n && jitterSeed !== undefined;
      const jx = inner ? (r() - 0.5) * 0.6 : 0;
      const jy = inner ? (r() - 0.5) * 0.6 : 0;
      verts.push([((i + jx) / n) * width, ((j + jy) / n) * height, 0, 1]);
    }
  const tris: number[] = [];
  for (let j = 0; j < n; j++)
    for (let i = 0; i < n; i++) {
      const a = j * (n + 1) + i;
      tris.push(a, a + 1, a + n + 2, a, a + n + 2, a + n + 1);
    }
  return { pos: clipFromPixels(verts, width, height), tris: new Uint32Array(tris), width, height };
}

async function raster(c: RasterCase): Promise<RasterResult> {
  return page.runRaster(c);
}

/** How many times each pixel is covered when every triangle is rasterised on its own. */
async function coverageCounts(c: RasterCase): Promise<Int32Array> {
  const counts = new Int32Array(c.width * c.height);
  for (let t = 0; t < c.tris.length / 3; t++) {
    const got = await raster({ ...c, tris: c.tris.slice(3 * t, 3 * t + 3) });
    for (let p = 0; p < counts.length; p++) if (got.rast[4 * p + 3] !== 0) counts[p]++;
  }
  return counts;
}

describe('rasterize: fill rule', () => {
  it('covers a quad grid whose edges and vertices run through pixel centres exactly once', async () => {
    // 6×6 cells of 2 px from −1.5 to 10.5 over an 8×8 image: every grid line (x or y = 0.5, 2.5, …) and
    // every diagonal passes through pixel centres, and all of them are interior edges of the mesh.
    const c = gridMesh(6, 8, 8);
    for (let v = 0; v < c.pos.length / 4; v++) {
      for (const k of [0, 1]) {
        const px = ((c.pos[4 * v + k] + 1) / 2) * 8; // 0..8 → −1.5..10.5
        c.pos[4 * v + k] = ((px * 1.5 - 1.5) / 8) * 2 - 1;
      }
    }
    const counts = await coverageCounts(c);
    expect(Array.from(counts)).toEqual(new Array(64).fill(1));
  });

  it('covers a jittered grid exactly once and leaves no holes (packed mode)', async () => {
    const c = gridMesh(5, 13, 11, 7);
    const counts = await coverageCounts(c);
    expect(Math.min(...counts)).toBe(1);
    expect(Math.max(...counts)).toBe(1);
  });
});

describe('rasterize: parity with the CPU reference', () => {
  const cases: [string, () => RasterCase][] = [
    ['random perspective soup crossing the border, 61×47', () => randomSoup(11, 40, 61, 47)],
    ['jittered shared-edge grid, 37×29', () => gridMesh(6, 37, 29, 3)],
    [
      'slivers: long thin triangles along rows, columns and diagonals',
      () => {
        const verts: number[][] = [];
        const tris: number[] = [];
        const push = (a: number[], b: number[], cc: number[]) => {
          const base = verts.length;
          verts.push(a, b, cc);
          tris.push(base, base + 1, base + 2);
        };
        push([1, 3.5, 0.1], [30, 3.5, 0.1], [30, 3.52, 0.1]);
        push([5.5, 0, -0.2], [5.5, 30, -0.2], [5.53, 30, -0.2]);
        push([0, 0, 0.3], [31, 29, 0.3], [31, 29.05, 0.3]);
        push([2, 20, 0.5], [29, 8, -0.5], [29.01, 8.001, 0.5]);
        push([-10, 15.5, 0], [50, 15.5, 0], [50, 15.5001, 0]);
        return { pos: clipFromPixels(verts, 32, 30), tris: new Uint32Array(tris), width: 32, height: 30 };
      },
    ],
    [
      'one triangle far larger than the image (every pixel inside, bbox clipped)',
      () => ({
        pos: clipFromPixels(
          [
            [-500, -300, 0.2, 1],
            [900, -100, -0.3, 3],
            [50, 800, 0.1, 0.7],
          ],
          19,
          17,
        ),
        tris: new Uint32Array([0, 1, 2]),
        width: 19,
        height: 17,
      }),
    ],
  ];
  for (const [name, make] of cases) {
    for (const mode of ['packed', 'two-pass'] as const) {
      it(`${name} [${mode}]`, async () => {
        const c = { ...make(), mode };
        const got = await raster(c);
        const want = rasterizeReference(c.pos, c.tris, c.width, c.height, mode);
        const { covered } = checkRasterParity(got.rast, want);
        expect(covered).toBeGreaterThan(0);
        expect(got.liveBuffers).toBe(0);
      });
    }
  }

  it('nearer fragments win: a triangle in front hides one behind, whatever the order', async () => {
    const back = [
      [0, 0, 0.5],
      [16, 0, 0.5],
      [0, 16, 0.5],
    ];
    const front = [
      [0, 0, -0.5],
      [16, 0, -0.5],
      [0, 16, -0.5],
    ];
    for (const order of [
      [...back, ...front],
      [...front, ...back],
    ]) {
      const c = {
        pos: clipFromPixels(order, 16, 16),
        tris: new Uint32Array([0, 1, 2, 3, 4, 5]),
        width: 16,
        height: 16,
      };
      const got = await raster(c);
      const frontId = order[0][2] < 0 ? 1 : 2;
      expect(got.rast[3]).toBe(frontId);
      expect(got.rast[2]).toBeCloseTo(-0.5, 5);
    }
  });
});

describe('interpolate and texture: parity with the CPU reference', () => {
  it('interpolates 5 attribute channels (not a multiple of 4) perspective-correctly', async () => {
    const c = randomSoup(5, 12, 23, 19);
    const attrChannels = 5;
    const attr = randomArray((c.pos.length / 4) * attrChannels, 9);
    const got = await raster({ ...c, attr, attrChannels });
    const want = interpolateReference(attr, attrChannels, got.rast, c.tris);
    // Same barycentrics in, one multiply-add per vertex in float32: |error| ≲ 1e-6 for |a| ≤ 1.
    const cmp = compareArrays(got.attr!, want, { atol: 1e-5 });
    expect(cmp.ok, cmp.message).toBe(true);
  });

  it('perspective-correct: interpolating clip-space w gives the true depth of a tilted quad', async () => {
    // A 3D quad at view-space depths 2 (top) to 6 (bottom) projected with f = 1: attribute = view depth.
    const corners = [
      [-1, -1, 2],
      [1, -1, 2],
      [1, 1, 6],
      [-1, 1, 6],
    ];
    const pos = new Float32Array(corners.flatMap(([x, y, z]) => [x, y, 0, z]));
    const attr = new Float32Array(corners.map((q) => q[2]));
    const got = await raster({
      pos,
      tris: new Uint32Array([0, 1, 2, 0, 2, 3]),
      width: 16,
      height: 16,
      attr,
      attrChannels: 1,
    });
    for (let py = 0; py < 16; py++) {
      const pix = py * 16 + 8;
      if (got.rast[4 * pix + 3] === 0) continue;
      // On screen y' = y/z with y linear in z between the edges: z = 2 + 4·(y + 1)/2 solves to 1/z linear in y'.
      const ndcY = ((py + 0.5) / 16) * 2 - 1;
      const inv = 1 / 2 + ((ndcY - -0.5) / (1 / 6 - -0.5)) * (1 / 6 - 1 / 2);
      expect(got.attr![pix]).toBeCloseTo(1 / inv, 3);
    }
  });

  const textureCases: [string, TextureCase['options'], boolean][] = [
    ['bilinear, uv coordinates', { space: 'uv', filter: 'bilinear' }, false],
    ['nearest, pixel coordinates, masked', { space: 'pixel', filter: 'nearest' }, true],
    ['bilinear, pixel coordinates, masked', { space: 'pixel', filter: 'bilinear' }, true],
  ];
  for (const [name, options, masked] of textureCases) {
    it(`samples a 6-channel 9×7 texture: ${name}, coordinates past every border`, async () => {
      const [tw, th, ch] = [9, 7, 6];
      const [w, h] = [11, 5];
      const tex = randomArray(tw * th * ch, 21);
      const lo = options.space === 'uv' ? -0.3 : -3;
      const hi = options.space === 'uv' ? 1.3 : 12;
      const coords = randomArray(w * h * 3, 22, lo, hi);
      const mask = masked
        ? new Float32Array(w * h * 4).map((_, i) => (i % 4 === 3 ? (i >> 2) % 3 : 0))
        : undefined;
      const c: TextureCase = {
        tex,
        texShape: [1, th, tw, ch],
        coords,
        coordShape: [1, h, w, 3],
        mask,
        options,
      };
      const got = await page.runTexture(c);
      const want = textureReference(tex, tw, th, ch, coords, 3, { ...options, mask });
      // Bilinear weights from float32 coordinates: ~1e-6 relative; 1e-5 absolute for values in [-1, 1].
      const cmp = compareArrays(got.data, want, { atol: 1e-5 });
      expect(cmp.ok, cmp.message).toBe(true);
      expect(got.liveBuffers).toBe(0);
    });
  }
});

describe('rasterize: validation and planning', () => {
  it('rejects an index past the vertex count, naming the index', async () => {
    const c = randomSoup(1, 2, 8, 8);
    c.tris[4] = 99;
    await expect(raster(c)).rejects.toThrow(/triangles: index 99 at \[4\] is out of range for 6 vertices/);
  });

  it('packs ids while they leave 16 depth bits, and uses two passes beyond', () => {
    expect(planRaster(880)).toEqual({ mode: 'packed', idBits: 10, depthLevels: 2 ** 22 - 1 });
    expect(planRaster(14080).mode).toBe('packed');
    expect(planRaster(65535)).toMatchObject({ mode: 'packed', idBits: 16 });
    expect(planRaster(65536)).toEqual({ mode: 'two-pass', idBits: 32, depthLevels: 2 ** 24 - 1 });
    expect(planRaster(3).depthLevels).toBe(2 ** 24 - 1);
  });
});
