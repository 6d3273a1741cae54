import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '@avatarme/browser-runtime';
import { useGpuPage } from '@avatarme/testing';

const gpu = useGpuPage();
const page = gpu.module<typeof import('./iris.gpu.ts')>(new URL('./iris.gpu.ts', import.meta.url));
const photo = {
  bytes: new Uint8Array(readFileSync(`${REPO_ROOT}/assets/astronaut.png`)),
  name: 'astronaut.png',
};

// FaceMesh's lower and upper eyelid points, outer corner first; the Iris model's contour points 0–8
// and 9–15 are the same points (MediaPipe's iris-to-mesh mapping).
const EYELIDS = [
  [33, 7, 163, 144, 145, 153, 154, 155, 133, 246, 161, 160, 159, 158, 157, 173],
  [263, 249, 390, 373, 374, 380, 381, 382, 362, 466, 388, 387, 386, 385, 384, 398],
];

type Result = Awaited<ReturnType<typeof page.ourIrises>>;
const dist = (a: readonly number[], b: readonly number[]) => Math.hypot(a[0] - b[0], a[1] - b[1]);
const iod = (r: Result) => dist(r.landmarks[33], r.landmarks[263]);
/** Mean distance of the Iris model's eyelid points from FaceMesh's, over both eyes, in IODs. */
const eyelidDisagreement = (r: Result) =>
  r.eyes.reduce(
    (s, e, k) => s + EYELIDS[k].reduce((t, m, i) => t + dist(e.contour[i], r.landmarks[m]), 0),
    0,
  ) /
  (32 * iod(r));

describe('iris landmarks on our kernels', () => {
  it('astronaut.png: the eyelids agree with FaceMesh, the wrong mirroring does not; a plausible iris size', async () => {
    const ours = await page.ourIrises(photo);
    const swapped = await page.ourIrises({ ...photo, mirrorOtherEye: true });
    const good = eyelidDisagreement(ours);
    const bad = eyelidDisagreement(swapped);
    const radii = ours.eyes.map((e) => e.radius / iod(ours));
    console.log(
      `eyelids vs FaceMesh: ${(100 * good).toFixed(2)}% of IOD (other eye mirrored: ${(100 * bad).toFixed(2)}%); iris radius / IOD ${radii.map((r) => r.toFixed(3)).join(', ')}`,
    );
    expect(good).toBeLessThan(0.03);
    expect(bad).toBeGreaterThan(2 * good);
    // Iris diameter 11.7 ± 0.5 mm, outer canthal distance about 85–100 mm in adults: radius / IOD ≈ 0.06–0.07.
    for (const r of radii) {
      expect(r).toBeGreaterThan(0.045);
      expect(r).toBeLessThan(0.085);
    }
  }, 600_000);
});
