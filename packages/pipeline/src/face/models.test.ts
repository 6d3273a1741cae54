import { describe, expect, it } from 'vitest';
import { useGpuPage } from '@avatarme/testing';

const gpu = useGpuPage();
const page = gpu.module<typeof import('./models.gpu.ts')>(new URL('./models.gpu.ts', import.meta.url));

describe('face networks kept on the device', () => {
  it('a second FaceModels reuses the loaded network; another folder or a changed file loads anew; outputs identical to the byte', async () => {
    const r = await page.keptDetector();
    expect(r.graphs).toEqual({ same: true, otherFolder: true, changedFile: true });
    expect(r.keptAgain).toBe(true);
    // Same kernels and weights: the kept network run from another context's unsubmitted input gives
    // the bytes of a network loaded and run in that context.
    expect(r.identical).toBe(true);
    expect(r.identicalAgain).toBe(true);
    expect(r.live).toBe(0);
  }, 600_000);
});
