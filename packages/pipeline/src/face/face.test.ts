import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '@avatarme/browser-runtime';
import { useGpuPage } from '@avatarme/testing';
import { descriptorSimilarity } from './similarity.ts';

const gpu = useGpuPage();
const page = gpu.module<typeof import('./face.gpu.ts')>(new URL('./face.gpu.ts', import.meta.url));
const bytes = new Uint8Array(readFileSync(`${REPO_ROOT}/assets/astronaut.png`));
const photo = { bytes, name: 'astronaut.png' };

// Outer eye corners in the 468-point topology (MediaPipe's canonical mesh): the usual
// inter-ocular normalisation of landmark benchmarks.
const EYE_CORNERS = [33, 263];

describe('face pipeline on our kernels', () => {
  it('astronaut.png: one face, landmarks within 2% of the inter-ocular distance of @vladmandic/human', async () => {
    const human = await page.humanLandmarks(photo);
    // One pass, as human runs it: this compares the same computation on two implementations.
    const ours = await page.ourLandmarks({ ...photo, passes: 1 });
    expect(human.faces).toHaveLength(1);
    expect(ours.faces).toHaveLength(1);
    const f = ours.faces[0];
    expect(f.score).toBeGreaterThan(0.5);
    expect(f.presence).toBeGreaterThan(0.9);
    // The keypoint-0 → keypoint-1 rule must give an upright crop for an upright face.
    expect(Math.abs(f.angle)).toBeLessThan(0.3);
    const ref = human.faces[0].mesh;
    const iod = Math.hypot(
      ref[EYE_CORNERS[0]][0] - ref[EYE_CORNERS[1]][0],
      ref[EYE_CORNERS[0]][1] - ref[EYE_CORNERS[1]][1],
    );
    let sum = 0;
    for (let i = 0; i < 468; i++)
      sum += Math.hypot(f.landmarks[i][0] - ref[i][0], f.landmarks[i][1] - ref[i][1]);
    const mean = sum / 468;
    console.log(
      `landmarks vs human (${human.backend}): mean ${mean.toFixed(2)} px = ${((100 * mean) / iod).toFixed(2)}% of IOD ${iod.toFixed(1)} px; ` +
        `ours detect ${ours.detectMs.toFixed(0)} ms + landmarks ${ours.landmarksMs.toFixed(0)} ms (SwiftShader, first run), human cpu ${human.ms.toFixed(0)} ms`,
    );
    expect(mean / iod).toBeLessThan(0.02);
  }, 600_000);

  it("a small face (inter-ocular distance 16 px): a second FaceMesh pass on the first pass' points holds the landmarks", async () => {
    // Reference: two passes on the full-size photo, shrunk by the same factor.
    const scale = 0.25;
    const full = (await page.ourLandmarks({ ...photo, passes: 2 })).faces[0].landmarks;
    const small = await page.smallFaceLandmarks({ ...photo, scale });
    const ref = full.map(([x, y]) => [x * scale, y * scale]);
    const iod = Math.hypot(ref[33][0] - ref[263][0], ref[33][1] - ref[263][1]);
    const meanError = (got: number[][]) =>
      got.reduce((sum, p, i) => sum + Math.hypot(p[0] - ref[i][0], p[1] - ref[i][1]), 0) / 468 / iod;
    const [one, two] = [meanError(small.onePass), meanError(small.twoPass)];
    console.log(
      `small face (IOD ${iod.toFixed(1)} px): mean landmark error ${(100 * one).toFixed(2)}% of IOD with one pass, ${(100 * two).toFixed(2)}% with two`,
    );
    expect(two).toBeLessThan(one);
    expect(two).toBeLessThan(0.05);
  }, 600_000);

  it('a gradient without a face: no face', async () => {
    const width = 160;
    const height = 120;
    const rgba = new Uint8Array(width * height * 4);
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        const i = (y * width + x) * 4;
        rgba.set([(x * 255) / width, (y * 255) / height, 128, 255], i);
      }
    const ours = await page.ourLandmarks({
      name: 'gradient',
      rgba,
      width,
      height,
    });
    expect(ours.faces).toEqual([]);
  }, 600_000);

  it('two faces: both found, largest first; descriptors of the same person are similar', async () => {
    const ours = await page.ourLandmarks({
      ...photo,
      addHalfCopy: true,
      descriptors: true,
    });
    expect(ours.faces).toHaveLength(2);
    const [big, small] = ours.faces;
    expect(big.box[2]).toBeGreaterThan(small.box[2]);
    // The small copy is the photo at half scale, pasted at x 512, y 128: its landmarks are the big
    // face's halved and shifted, up to the models' own scale sensitivity (a few % of the IOD).
    const iod = Math.hypot(
      big.landmarks[33][0] - big.landmarks[263][0],
      big.landmarks[33][1] - big.landmarks[263][1],
    );
    let sum = 0;
    for (let i = 0; i < 468; i++) {
      const ex = 512 + big.landmarks[i][0] / 2;
      const ey = 128 + big.landmarks[i][1] / 2;
      sum += Math.hypot(small.landmarks[i][0] - ex, small.landmarks[i][1] - ey);
    }
    const rel = sum / 468 / (iod / 2);
    const sim = descriptorSimilarity(ours.descriptors[0], ours.descriptors[1]);
    console.log(
      `half-size copy: landmarks off by ${(100 * rel).toFixed(2)}% of its IOD; descriptor cosine ${sim.toFixed(3)}`,
    );
    expect(rel).toBeLessThan(0.05);
    expect(ours.descriptors[0]).toHaveLength(1024);
    expect(sim).toBeGreaterThan(0.8);
  }, 900_000);
});
