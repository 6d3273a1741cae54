import { describe, expect, it } from 'vitest';
import { rasterizeReference } from '@avatarme/kernels/raster/reference.ts';
import { barycentrics, barycentricsBackward, pixelNdc } from './barycentric.ts';

function lcg(seed: number) {
  let s = seed;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

// Three perspective triangles (w 1.5–3.5) over a 23×19 image.
const [W, H] = [23, 19];
const rand = lcg(11);
const clip = new Float32Array(9 * 4);
for (let i = 0; i < 9; i++) {
  const w = 1.5 + 2 * rand();
  clip.set([(rand() * 1.6 - 0.8) * w, (rand() * 1.6 - 0.8) * w, (rand() * 0.8 - 0.4) * w, w], 4 * i);
}
const tris = Uint32Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8]);
const rast = rasterizeReference(clip, tris, W, H);
const dUv = Float32Array.from({ length: W * H * 4 }, (_, i) => (i % 4 < 2 ? rand() - 0.5 : 0));

/** L = Σ gu·u + gv·v over the covered pixels, with each pixel's triangle held at the raster's. */
function loss(c: Float32Array): number {
  let sum = 0;
  for (let pix = 0; pix < W * H; pix++) {
    const id = rast[4 * pix + 3];
    if (!id) continue;
    const q = [0, 1, 2].map((k) => {
      const i = tris[3 * (id - 1) + k];
      return [c[4 * i], c[4 * i + 1], c[4 * i + 3]];
    }) as [number, number, number][];
    const [u, v] = barycentrics(pixelNdc(pix % W, Math.floor(pix / W), W, H), q as never);
    sum += dUv[4 * pix] * u + dUv[4 * pix + 1] * v;
  }
  return sum;
}

describe('rasteriser adjoint (barycentrics → clip positions)', () => {
  it('the closed form gives the CPU rasteriser reference’s perspective-correct (u, v)', () => {
    let covered = 0;
    for (let pix = 0; pix < W * H; pix++) {
      const id = rast[4 * pix + 3];
      if (!id) continue;
      covered++;
      const q = [0, 1, 2].map((k) => {
        const i = tris[3 * (id - 1) + k];
        return [clip[4 * i], clip[4 * i + 1], clip[4 * i + 3]];
      });
      const [u, v] = barycentrics(pixelNdc(pix % W, Math.floor(pix / W), W, H), q as never);
      // The reference rounds to float32 after each operation: ~1e-6 relative on values ≤ 1.
      expect(Math.abs(u - rast[4 * pix])).toBeLessThan(1e-5);
      expect(Math.abs(v - rast[4 * pix + 1])).toBeLessThan(1e-5);
    }
    expect(covered).toBeGreaterThan(40);
  });

  it('∂L/∂clip (x, y, w) matches central differences; z gets nothing', () => {
    const got = barycentricsBackward(clip, tris, rast, dUv, W, H, new Float32Array(clip.length));
    // Float64 differences of a rational function with h = 1e-4 on clip values ~1: truncation
    // O(h²) ~ 1e-8 times the third derivative; 1e-5 relative to the largest gradient leaves margin,
    // and the float32 clip positions are re-read exactly (the perturbation is applied in float64).
    const h = 1e-4;
    const scale = Math.max(...got.map(Math.abs));
    expect(scale).toBeGreaterThan(0.01);
    for (let i = 0; i < clip.length; i++) {
      const c64 = Float64Array.from(clip);
      c64[i] += h;
      const lp = loss(c64 as never);
      c64[i] -= 2 * h;
      const lm = loss(c64 as never);
      const fd = (lp - lm) / (2 * h);
      expect(Math.abs(fd - got[i])).toBeLessThan(1e-5 * scale + 1e-6);
    }
  });
});
