import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { samplePhotoHead, useGpuPage } from '@avatarme/testing';
import { bundledHeadModelUrl } from '../morphable/bundled.ts';
import type { LipFigures } from './mouth-figures.ts';

const gpu = useGpuPage();
const page = gpu.module<typeof import('./mouth-sample.gpu.ts')>(
  new URL('./mouth-sample.gpu.ts', import.meta.url),
);

describe('the lips of the head fitted to the sample photo (assets/astronaut.png, an open smile)', () => {
  it('carry the lips, not the teeth or the dark inside the photo shows between them', async () => {
    const got = await page.mouthFigures(samplePhotoHead(gpu, fileURLToPath(bundledHeadModelUrl())));
    console.log(`[mouth] ${JSON.stringify(got.figures)}`);
    const dump = process.env.AVATARME_DUMP_DIR;
    if (dump) {
      mkdirSync(dump, { recursive: true });
      for (const [name, png] of Object.entries(got.pngs))
        writeFileSync(resolve(dump, `mouth-${name}.png`), png);
      writeFileSync(resolve(dump, 'lips.u8'), got.lips);
    }
    const { before, after } = got.figures as Record<'before' | 'after', LipFigures & { inMouth: number }>;
    expect(after.lipTexels).toBeGreaterThan(300);
    expect(after.inMouth).toBeGreaterThan(100);
    // Lip texels lighter than the photo's lips and 10 C*ab greyer (teeth): 211 of ~700 read the photo's
    // teeth before the opening was masked, 4 after (texels on the lips' edge that mix in a tooth's
    // border). The bound leaves room for a different fit, not for a strip of teeth (a row is ~30).
    expect(before.teethLike).toBeGreaterThan(150);
    expect(after.teethLike).toBeLessThan(15);
    // 20 L* darker than the photo's lips (the mouth's dark inside at the corners): 8 before, 0 after.
    expect(after.dark).toBeLessThanOrEqual(2);
    // The lips' median chroma comes back to the photo's (14.8 before, 20.8 after, the photo's 21.8).
    expect(Math.abs(after.texture.C - after.photo.C)).toBeLessThan(3);
  });
});
