import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { samplePhotoHead, useGpuPage } from '@avatarme/testing';
import { bundledHeadModelUrl } from '../morphable/bundled.ts';
import type { MouthFit } from '../head/fit.ts';
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
    // The fit opens the mouth (head/fit.ts, morphable/mouth-open.ts): its inner lips 5.3 px apart in
    // the 512² photo where FaceMesh's are 7.4 (1.2 px before). The expression prior holds it back a
    // little; 2.5 px short would be the closed mouth again.
    const mouthFit = got.figures.mouthFit as MouthFit;
    expect(mouthFit.openness).toBe(1);
    expect(mouthFit.fittedPx).toBeGreaterThan(mouthFit.photoPx - 2.5);
    expect(after.lipTexels).toBeGreaterThan(300);
    expect(after.inMouth).toBeGreaterThan(100);
    // Lip texels lighter than the photo's lips and 10 C*ab greyer (teeth): with the fitted mouth
    // closed, 211 of ~700 read the photo's teeth unmasked; with it open, 6 of 682 unmasked and 6 masked
    // (texels on the lips' edge that mix in a tooth's border). The bound leaves room for a different
    // fit, not for a strip of teeth (a row is ~30).
    expect(before.teethLike).toBeLessThan(15);
    expect(after.teethLike).toBeLessThan(15);
    // 20 L* darker than the photo's lips: the mouth's dark inside, which the opened lips, 2 px short of
    // the photo's and narrower at the corners, still read unmasked (65; 8 with the mouth closed); the
    // opening's mask leaves 0.
    expect(before.dark).toBeGreaterThan(30);
    expect(after.dark).toBeLessThanOrEqual(2);
    // The lips' median chroma is the photo's (20.9; the photo's 21.8; 14.8 with the closed mouth unmasked).
    expect(Math.abs(after.texture.C - after.photo.C)).toBeLessThan(3);
  });
});
