import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { useGpuPage } from '@avatarme/testing';
import { bundledHeadModelUrl } from '../morphable/bundled.ts';

const gpu = useGpuPage();
const page = gpu.module<typeof import('./complete-albedo.gpu.ts')>(
  new URL('./complete-albedo.gpu.ts', import.meta.url),
);

// The before/after on the sample photo: minutes on SwiftShader, so a measurement (*.measure.test.ts,
// collected only with AVATARME_MEASURE=1), not part of npm test; figures on stdout, textures in
// reports/completion/.
describe('completion on assets/astronaut.png', () => {
  const head = gpu.module<typeof import('../head/head.gpu.ts')>(
    new URL('../head/head.gpu.ts', import.meta.url),
  );
  it('exemplar completion keeps more of the skin texture than push-pull + grain', async () => {
    const root = resolve(import.meta.dirname, '../../../..');
    const bytes = new Uint8Array(readFileSync(resolve(root, 'assets/astronaut.png')));
    const out = resolve(root, 'reports/completion');
    mkdirSync(out, { recursive: true });
    // FaceMesh takes a minute on SwiftShader and does not change between runs: kept beside the figures.
    const cached = resolve(out, 'astronaut-landmarks.json');
    const marks = existsSync(cached)
      ? (JSON.parse(readFileSync(cached, 'utf8')) as { landmarks: [number, number, number][] })
      : await head.photoLandmarks({ bytes, name: 'astronaut.png' });
    writeFileSync(cached, JSON.stringify({ landmarks: marks.landmarks }));
    const modelUrl = gpu.page.serveDirectory(fileURLToPath(bundledHeadModelUrl()));
    const uvSize = Number(process.env.AVATARME_UV_SIZE ?? 256);
    const got = await page.compareCompletions({
      bytes,
      name: 'astronaut.png',
      modelUrl,
      uvSize,
      landmarks: marks.landmarks,
    });
    for (const [name, png] of Object.entries(got.pngs))
      writeFileSync(resolve(out, `astronaut-${name}-${uvSize}.png`), png);
    console.log(`[completion] ${JSON.stringify(got.figures, null, 1)}`);
    const f = got.figures as Record<string, { hfRatio: number }>;
    expect(f.exemplar.hfRatio).toBeGreaterThan(f['push-pull'].hfRatio);
  }, 1_800_000);
});
