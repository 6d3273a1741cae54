import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareArrays, useGpuPage } from '@avatarme/testing';

const gpu = useGpuPage();
const page = gpu.module<typeof import('./tiled.gpu.ts')>(new URL('./tiled.gpu.ts', import.meta.url));
const PHOTO = new Uint8Array(readFileSync(resolve(import.meta.dirname, '../../../../assets/astronaut.png')));

describe('tiled == untiled (esrgan-slim ×2 on a 38×29 photo crop)', () => {
  it('exact when the context covers the receptive field, on both blending paths; close with the defaults', async () => {
    // slim's receptive field reaches 10 LR pixels (8 convs of 3×3 and one 5×5), so with context 10 every
    // kept output pixel is computed from the same inputs as untiled: only f32 rounding differs (the
    // blend weights of overlapping windows sum to 1 in f32, ~1e-7 relative on values up to 255).
    const r = await page.tiledVsWhole(
      {
        model: 'esrgan-slim',
        scale: 2,
        bytes: PHOTO,
        crop: [200, 170, 38, 29],
        tiled: [
          { tile: 16, overlap: 4, context: 10, blend: 'gpu' },
          { tile: 16, overlap: 4, context: 10, blend: 'cpu' },
          { tile: 16 },
        ],
      },
      { timeoutMs: 600_000 },
    );
    const [gpuBlend, cpuBlend, defaults] = r.runs;
    expect([gpuBlend.blend, cpuBlend.blend]).toEqual(['gpu', 'cpu']);
    // 29 rows and 38 columns in windows of 16 overlapping by ≥ 4: 3 × 3 windows.
    expect(gpuBlend.windows).toBe(9);
    expect(gpuBlend.progress).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (const run of [gpuBlend, cpuBlend]) {
      const c = compareArrays(run.data, r.whole, { atol: 1e-3, label: `tiled (${run.blend})` });
      expect(c.ok, c.message).toBe(true);
    }
    // Default context (8) is 2 pixels short of the receptive field: the far-reaching taps carry little
    // weight, so differences stay far below one 8-bit level (measured 9e-4).
    const c = compareArrays(defaults.data, r.whole, { atol: 0.01, label: 'tiled (defaults)' });
    console.log(`${c.message}; auto tile for a 64×64 call: ${JSON.stringify(r.memory64)}`);
    expect(c.ok, c.message).toBe(true);
    expect(r.live).toBe(0);
  });
});
