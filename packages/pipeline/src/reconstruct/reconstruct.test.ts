import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { manifestJson, parseManifest, type Pix2PixHDEntry } from '../reflectance/learned/manifest.ts';
import { AVATARME_NETWORKS, DEFAULT_FILES, REFLECTANCE_MAPS } from '../reflectance/learned/avatarme.ts';
import { compareArrays, encodeTestPng, randomArray, useGpuPage } from '@avatarme/testing';
import { randomPix2PixHDSafetensors } from '@avatarme/nets/pix2pixhd/random-weights.ts';
import { planReflectanceTiles, joinChannels, REFLECTANCE_OVERLAP } from '../reflectance/learned/tiles.ts';
import { MAX_PIXELS, MIN_SIDE, WORKING_SIDE, checkPhotoSize } from './photo.ts';
import type { TiledCase } from './reconstruct.gpu.ts';

const gpu = useGpuPage();
const page = gpu.module<typeof import('./reconstruct.gpu.ts')>(
  new URL('./reconstruct.gpu.ts', import.meta.url),
);
const PHOTO = new Uint8Array(readFileSync(resolve(import.meta.dirname, '../../../../assets/astronaut.png')));

/** A weights directory in memory: the four networks with `architecture`, seeded random weights. */
function weightsFiles(architecture: Record<string, unknown>): Record<string, Uint8Array> {
  const files: Record<string, Uint8Array> = {};
  const entries = REFLECTANCE_MAPS.map((map, i) => {
    const entry = parseManifest({
      format: 'avatarme-reflectance-weights',
      version: 1,
      networks: { [map]: { file: DEFAULT_FILES[map], architecture } },
    }).networks[map] as Pix2PixHDEntry;
    files[entry.file] = randomPix2PixHDSafetensors(entry.architecture, {
      seed: 11 + i,
      runningStats: 'random',
    });
    return entry;
  });
  files['manifest.json'] = new TextEncoder().encode(JSON.stringify(manifestJson(entries)));
  return files;
}

function tiledCase(
  size: number,
  tile: number,
  overlap: number,
  architecture: Record<string, unknown>,
): TiledCase {
  const n = size * size * 3;
  const normals = randomArray(n, 5, -1, 1);
  return {
    files: weightsFiles(architecture),
    size,
    texture: randomArray(n, 4, 0, 1),
    shapeNormals: normals,
    tile,
    overlap,
  };
}

describe('reflectance tile plan (pure)', () => {
  const limits = { maxStorageBufferBindingSize: 128 * 2 ** 20, maxBufferSize: 256 * 2 ** 20 };
  const memory = (h: number, w: number) => ({ largestBytes: h * w * 256, peakBytes: h * w * 1280 });
  it('keeps the window, overlap and context on the network grid and inside the map', () => {
    const p = planReflectanceTiles(256, 16, {
      tile: 100,
      overlap: 20,
      inferencePatchSize: 1536,
      memory,
      limits,
    });
    expect(p).toEqual({ tile: 96, overlap: 32, context: 32, tileFrom: 'given' });
    expect(planReflectanceTiles(64, 16, { tile: 512, inferencePatchSize: 1536, memory, limits }).tile).toBe(
      64,
    );
    expect(planReflectanceTiles(64, 16, { tile: 16, inferencePatchSize: 1536, memory, limits }).overlap).toBe(
      0,
    );
  });
  it('chooses the largest window the limits allow, at most inferencePatchSize', () => {
    // largest = side² · 256 B ≤ 128 MiB → side ≤ 724; peak = side² · 1280 B ≤ 512 MiB → side ≤ 647.
    // The side includes 2 · 32 of context: tile ≤ 583, on the 16-texel grid 576.
    const p = planReflectanceTiles(2048, 16, { inferencePatchSize: 1536, memory, limits });
    expect(p).toEqual({
      tile: 576,
      overlap: REFLECTANCE_OVERLAP,
      context: REFLECTANCE_OVERLAP,
      tileFrom: 'adapter',
    });
    expect(planReflectanceTiles(2048, 16, { inferencePatchSize: 256, memory, limits }).tile).toBe(256);
    expect(planReflectanceTiles(200, 16, { inferencePatchSize: 1536, memory, limits }).tile).toBe(208);
  });
  it('joins inputs along channels in order', () => {
    const a = Float32Array.of(1, 2, 3, 4, 5, 6);
    const b = Float32Array.of(7, 8, 9, 10, 11, 12);
    expect([...joinChannels([a, b], [3, 3], 2)]).toEqual([1, 2, 3, 7, 8, 9, 4, 5, 6, 10, 11, 12]);
    expect(() => joinChannels([a], [2], 2)).toThrow(/part 0 has 6 values, not 2×2/);
  });
  it('photo limits', () => {
    expect(() => checkPhotoSize(8000, 8000, 'big.png')).not.toThrow();
    expect(MAX_PIXELS).toBe(8000 * 8000);
    expect(() => checkPhotoSize(8001, 8000, 'big.png')).toThrow(
      /big.png: 8001×8000 is above the 64-megapixel limit/,
    );
    expect(() => checkPhotoSize(MIN_SIDE - 1, 500, 'a.png')).toThrow(/too small \(at least 32×32\)/);
  });
});

describe('pix2pixhd backend, tiled (random weights, real WGSL)', () => {
  it('tiled == one window when the context covers the receptive field', async () => {
    // ngf 4, 2 downsamplings, 1 block, batch norm (folded: no per-window statistics): the receptive
    // field reaches 3 (7×7) + 1 + 2 (strided 3×3) + 8 (block at 1/4) + 2 + 1 (transposed) + 3 (7×7)
    // = 20 texels, so with a 24-texel context every kept texel sees exactly the untiled inputs, and
    // the 4-texel grid keeps the strided convolutions in phase. Only f32 rounding differs (blend
    // weights sum to 1 in f32 and accumulation order changes): 1e-5 on outputs in [0, 1].
    const c = tiledCase(64, 32, 24, { ngf: 4, n_downsampling: 2, n_blocks: 1, norm: 'batch' });
    const r = await page.tiledVsWhole(c, { timeoutMs: 600_000 });
    expect(r.wholePlans.map((p) => p.windows)).toEqual([1, 1, 1, 1]);
    // 64 texels in windows of 32 overlapping by 24: starts 0, 8, 16, 24, 32 per axis.
    expect(r.plans.map((p) => [p.map, p.tile, p.overlap, p.windows])).toEqual(
      REFLECTANCE_MAPS.map((m) => [m, 32, 24, 25]),
    );
    for (const m of REFLECTANCE_MAPS) {
      const cmp = compareArrays(r.tiled[m], r.whole[m], { atol: 1e-5, label: m });
      expect(cmp.ok, cmp.message).toBe(true);
      expect(r.whole[m].length).toBe(64 * 64 * AVATARME_NETWORKS[m].output_nc);
    }
    // The output must vary, or equality would prove nothing.
    const d = r.whole.diffuseAlbedo;
    expect(Math.max(...d) - Math.min(...d)).toBeGreaterThan(0.05);
    console.log(`one 64² window: peak ${r.measuredPeak} B measured, ${r.estimatedPeak} B estimated`);
    expect(r.measuredPeak).toBeLessThanOrEqual(r.estimatedPeak);
    expect(r.live).toBe(0);
  });

  it('cancelling between windows stops the run and leaves no GPU buffer alive', async () => {
    const c = tiledCase(64, 32, 16, { ngf: 4, n_downsampling: 2, n_blocks: 1 });
    const r = await page.abortTiled({ ...c, afterWindows: 3 }, { timeoutMs: 600_000 });
    expect(r.error).toMatch(/^AbortError/);
    // Aborted after the third window: runTiled checks the signal before the fourth.
    expect(r.windows).toBe(3);
    expect(r.created).toBeGreaterThan(10);
    // Per-channel parameters (PReLU slopes) live in the kernels' channel-parameter cache, keyed by the
    // model's Float32Array and released with it by the garbage collector, never destroyed explicitly
    // (recorded work may still read them): see kernels/src/elementwise/channel-params.ts.
    expect(r.alive.filter((l) => !l.endsWith('.slopes'))).toEqual([]);
  });
});

describe('photo stage (real browser decoders)', () => {
  it('grey, grey+alpha and RGBA decode to RGBA; 8000×8000 is scaled to the working size; 1×1 is refused', async () => {
    const files = {
      'grey.png': encodeTestPng(40, 36, 1, (x, y) => [x * 5 + y]),
      'grey-alpha.png': encodeTestPng(40, 36, 2, (x) => [x * 6, 255 - x * 6]),
      'rgba.png': encodeTestPng(40, 36, 4, (x, y) => [x * 6, y * 7, 200, x === 0 ? 0 : 128]),
      'tiny.png': encodeTestPng(1, 1, 3, () => [10, 20, 30]),
      'huge.png': encodeTestPng(8000, 8000, 1, () => [77]),
    };
    const r = (await page.loadPhotos({ files }, { timeoutMs: 300_000 })) as Record<
      string,
      Record<string, unknown>
    >;
    expect(r['grey.png'].corners).toEqual([
      [0, 0, 0, 255],
      [195, 195, 195, 255],
      [35, 35, 35, 255],
      [230, 230, 230, 255],
    ]);
    // Alpha is ignored downstream. The browser's canvas stores premultiplied colour, so a pixel of
    // alpha a comes back within 255 / (2a) levels of the file's colour (rounding of c·a/255), and a
    // fully transparent pixel loses its colour: documented in photo.ts.
    const near = (got: number[], want: number[]) => {
      const tol = Math.ceil(255 / (2 * want[3]));
      expect(got[3]).toBe(want[3]);
      for (let k = 0; k < 3; k++)
        expect(Math.abs(got[k] - want[k]), `${got} vs ${want}`).toBeLessThanOrEqual(tol);
    };
    near((r['grey-alpha.png'].corners as number[][])[1], [234, 234, 234, 21]);
    near((r['grey-alpha.png'].corners as number[][])[0], [0, 0, 0, 255]);
    near((r['rgba.png'].corners as number[][])[3], [234, 245, 200, 128]);
    expect((r['rgba.png'].corners as number[][])[0][3]).toBe(0);
    expect(r['tiny.png']).toEqual({ error: 'tiny.png: 1×1 is too small (at least 32×32)' });
    expect(r['huge.png']).toMatchObject({
      width: WORKING_SIDE,
      height: WORKING_SIDE,
      sourceWidth: 8000,
      sourceHeight: 8000,
      corners: [
        [77, 77, 77, 255],
        [77, 77, 77, 255],
        [77, 77, 77, 255],
        [77, 77, 77, 255],
      ],
    });
  });
});

describe('reconstruct cancellation', () => {
  it('a cancel after detection stops at the next step and every buffer and texture is destroyed', async () => {
    const r = await page.abortReconstruct({ bytes: PHOTO, stage: 'landmarks' }, { timeoutMs: 600_000 });
    expect(r.error).toMatch(/^AbortError/);
    // Cancelled as landmarks began: that step finishes, nothing after it starts or reports done.
    expect(r.seen.at(-1)).toBe('landmarks 0.00');
    expect(r.seen).toContain('detect 1.00');
    // The detector's weights, the photo and the pooled activations were made before the cancel.
    expect(r.created).toBeGreaterThan(50);
    // Per-channel parameters (PReLU slopes) live in the kernels' channel-parameter cache, keyed by the
    // model's Float32Array and released with it by the garbage collector, never destroyed explicitly
    // (recorded work may still read them): see kernels/src/elementwise/channel-params.ts.
    expect(r.alive.filter((l) => !l.endsWith('.slopes'))).toEqual([]);
  });
});
