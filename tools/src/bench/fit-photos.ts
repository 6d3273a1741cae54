/**
 * Writes FaceMesh landmarks of eval-style photos of procedural subjects (seeds the evaluation does not
 * use) as <out>/subject-<seed>-yaw<y>-pitch<p>.json ({ faces: [{ landmarks }] }, the landmarks
 * command's format), for tuning the landmark fit in Node.
 *   npx tsx tools/src/bench/fit-photos.ts --out DIR [--seeds 101-108] [--size 256]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { withGpuPage } from '../cli/page-session.ts';
import { POSES } from '../eval/views.ts';
import type { FitPhoto } from './page/fit-photos.gpu.ts';

const REPO = resolve(import.meta.dirname, '../../..');
const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const out = arg('out', '/tmp/fit-photos');
const [lo, hi] = arg('seeds', '101-108').split('-').map(Number);
const seeds = Array.from({ length: (hi ?? lo) - lo + 1 }, (_, i) => lo + i);
const size = Number(arg('size', '256'));
mkdirSync(out, { recursive: true });
await withGpuPage(async (page) => {
  const modelUrl = page.serveDirectory(join(REPO, 'packages/pipeline/models/ict-head'));
  for (const seed of seeds) {
    const photos = await page.call<FitPhoto[]>(
      new URL('./page/fit-photos.gpu.ts', import.meta.url),
      'fitPhotos',
      { modelUrl, seeds: [seed], poses: POSES, size },
      { timeoutMs: 600_000 },
    );
    for (const p of photos) {
      const name = `subject-${p.seed}-yaw${p.pose.yaw}-pitch${p.pose.pitch}.json`;
      if (p.landmarks)
        writeFileSync(join(out, name), JSON.stringify({ faces: [{ landmarks: p.landmarks }] }));
      console.log(name, p.landmarks ? 'ok' : 'no face');
    }
  }
});
