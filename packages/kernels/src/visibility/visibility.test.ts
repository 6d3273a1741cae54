import { describe, expect, it } from 'vitest';
import { compareArrays, rng, useGpuPage } from '@avatarme/testing';
import { accumulateVisibilityReference } from './reference.ts';

const gpu = useGpuPage();
const page = gpu.module<typeof import('./visibility.gpu.ts')>(
  new URL('./visibility.gpu.ts', import.meta.url),
);

/** A grid of (n+1)² vertices over [-1, 1]² at depth z, facing the viewer, as triangles. */
function grid(n: number, z: number, half: number, out: { p: number[]; t: number[] }) {
  const base = out.p.length / 3;
  for (let j = 0; j <= n; j++)
    for (let i = 0; i <= n; i++) out.p.push(-half + (2 * half * i) / n, -half + (2 * half * j) / n, z);
  for (let j = 0; j < n; j++)
    for (let i = 0; i < n; i++) {
      const a = base + j * (n + 1) + i;
      out.t.push(a, a + 1, a + n + 2, a, a + n + 2, a + n + 1);
    }
}

describe('accumulateVisibility', () => {
  it('matches the CPU test per vertex on an occluded, jittered scene', async () => {
    const scene = { p: [] as number[], t: [] as number[] };
    grid(8, 0.5, 0.9, scene); // far plane of vertices
    grid(3, -0.2, 0.4, scene); // a nearer occluder over the middle
    const r = rng(5);
    const V = scene.p.length / 3;
    const clip = new Float32Array(V * 4);
    const normals = new Float32Array(V * 4);
    for (let v = 0; v < V; v++) {
      clip.set([scene.p[v * 3] + 0.01 * r(), scene.p[v * 3 + 1] + 0.01 * r(), scene.p[v * 3 + 2], 1], v * 4);
      const n = [0.3 * (r() - 0.5), 0.3 * (r() - 0.5), -1];
      normals.set([...n.map((x) => x / Math.hypot(...n)), 0], v * 4);
    }
    const acc = new Float32Array(V * 4).map((_, i) => (i % 4 < 2 ? r() : 0));
    const direction = [0, 0, -1];
    const got = await page.runAccumulate({
      clip,
      normals,
      acc,
      triangles: new Uint32Array(scene.t),
      size: 32,
      direction,
      bias: 0.01,
    });
    const want = accumulateVisibilityReference(clip, got.raster, normals, acc, {
      width: 32,
      height: 32,
      bias: 0.01,
      direction,
    });
    // Visibility is a 0/1 decision from the same f32 inputs; the sums add one f32 term. A vertex is
    // never within 1e-6 of the bias threshold here (depths 0.5 vs −0.2), so exact up to 1e-6.
    const cmp = compareArrays(got.acc, want, { atol: 1e-6, rtol: 1e-6 });
    expect(cmp.ok, cmp.message).toBe(true);
    // The occluder hides the far vertices behind it: some far vertices were counted invisible.
    let hidden = 0;
    for (let v = 0; v < 81; v++)
      if (want[v * 4] - acc[v * 4] < 1e-6 && want[v * 4 + 1] - acc[v * 4 + 1] > 0.5) hidden++;
    expect(hidden).toBeGreaterThan(4);
    expect(got.liveBuffers).toBe(0);
  });
});

/** A floor in y = 0 facing +y (11² vertices) and a roof at y = 0.3 over its middle (3²). */
function floorAndRoof() {
  const scene = { p: [] as number[], t: [] as number[] };
  // Floor in y = 0 facing +y, roof at y = 0.3 over its middle (both as grids in xz).
  const quad = (n: number, y: number, half: number) => {
    const base = scene.p.length / 3;
    for (let j = 0; j <= n; j++)
      for (let i = 0; i <= n; i++) scene.p.push(-half + (2 * half * i) / n, y, -half + (2 * half * j) / n);
    for (let j = 0; j < n; j++)
      for (let i = 0; i < n; i++) {
        const a = base + j * (n + 1) + i;
        scene.t.push(a, a + n + 1, a + n + 2, a, a + n + 2, a + 1);
      }
  };
  quad(10, 0, 1);
  quad(2, 0.3, 0.4);
  const V = scene.p.length / 3;
  const normals = new Float32Array(V * 3);
  for (let v = 0; v < V; v++) normals[v * 3 + 1] = 1;
  return { positions: new Float32Array(scene.p), normals, triangles: new Uint32Array(scene.t) };
}

describe('ambientOcclusion', () => {
  it('darkens a floor under a small roof and leaves its open corners and the roof top lit', async () => {
    const got = await page.runAmbientOcclusion(floorAndRoof());
    const centre = got.ao[5 * 11 + 5];
    const corner = got.ao[0];
    const roofTop = got.ao[121 + 4];
    // A roof of half-width 0.4 at height 0.3 hides the cone within ~53° of the zenith, which holds
    // cos²(37°)… ≈ 64% of the cosine-weighted sky: the centre keeps well under half; the corners see
    // the whole upper hemisphere.
    expect(centre).toBeLessThan(0.5);
    expect(corner).toBeGreaterThan(0.9);
    expect(roofTop).toBeGreaterThan(0.9);
    expect(got.liveBuffers).toBe(0);
  });

  it('gives the same mesh bytes the same result again without GPU work, and a mesh changed in place a new one', async () => {
    const got = await page.runAmbientOcclusionRepeated(floorAndRoof());
    expect(got.counts[0]).toBeGreaterThan(0);
    expect(got.counts[1]).toBe(0);
    expect(got.counts[2]).toBe(got.counts[0]);
    expect(Array.from(got.second)).toEqual(Array.from(got.first));
    expect(Array.from(got.moved)).toEqual(Array.from(got.movedFresh));
    // The lowered roof hides more of the floor's centre.
    expect(got.moved[5 * 11 + 5]).toBeLessThan(got.first[5 * 11 + 5]);
    expect(got.liveBuffers).toBe(0);
  });
});
