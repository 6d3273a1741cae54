import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { rng } from '@avatarme/testing';
import { mat3Mul, rotationFromAxisAngle } from '../math/linalg.ts';
import { bundledHeadModelUrl } from './bundled.ts';
import { fitToLandmarks } from './fit.ts';
import { loadMorphableModel } from './load.ts';
import { evaluateVertices } from './model.ts';
import { nodeModelReader } from './node-files.ts';
import { FRONTAL_ROTATION, projectPoints, type Pose } from './pose.ts';
import { contourWeights, facingWeights } from './visibility.ts';

const model = loadMorphableModel(nodeModelReader(fileURLToPath(bundledHeadModelUrl())));

/** Mean image distance over the landmarks listed. */
const meanError = (a: ArrayLike<number>, b: ArrayLike<number>, ids: number[]) =>
  ids.reduce((s, i) => s + Math.hypot(a[2 * i] - b[2 * i], a[2 * i + 1] - b[2 * i + 1]), 0) / ids.length;

describe('self-occluded landmarks (a head turned 40°)', () => {
  it('weights the far jaw line down and the visible face fully', async () => {
    const m = await model;
    const pose: Pose = {
      rotation: mat3Mul(FRONTAL_ROTATION, rotationFromAxisAngle([0, (40 * Math.PI) / 180, 0])),
      scale: 14,
      translation: [256, 256, 0],
    };
    const w = contourWeights(m, pose);
    const jaw = Array.from({ length: 17 }, (_, i) => w[i]);
    // One side of the jaw faces away (weights near the 0.1 floor), the other side does not; the inner
    // face keeps full weight.
    expect(Math.min(...jaw)).toBeLessThan(0.2);
    expect(Math.max(...jaw)).toBeGreaterThan(0.9);
    for (let i = 17; i < 68; i++) expect(w[i], `landmark ${i}`).toBe(1);
  });

  it('a fit weighted by facing is not dragged by silhouette points on the far side', async () => {
    const m = await model;
    const random = rng(3);
    let [plain, weighted] = [0, 0];
    for (let trial = 0; trial < 4; trial++) {
      const identity = Float64Array.from({ length: m.identity.count }, () => 2 * random() - 1);
      const expression = new Float64Array(m.expression.count);
      const yaw = ((trial % 2 ? -1 : 1) * (35 + 10 * random()) * Math.PI) / 180;
      const pose: Pose = {
        rotation: mat3Mul(FRONTAL_ROTATION, rotationFromAxisAngle([0, yaw, 0])),
        scale: 14,
        translation: [256, 256, 0],
      };
      const clean = projectPoints(pose, evaluateVertices(m, m.landmarks, identity, expression));
      // A detector puts hidden jaw points on the silhouette: outwards of where the vertex projects.
      const observed = Float64Array.from(clean);
      const truth = facingWeights(m, pose, m.landmarks);
      const centreX = clean.filter((_, k) => k % 2 === 0).reduce((a, b) => a + b, 0) / 68;
      const hidden: number[] = [];
      for (let i = 0; i < 17; i++)
        if (truth[i] < 0.5) {
          hidden.push(i);
          observed[2 * i] += Math.sign(clean[2 * i] - centreX) * 10;
        }
      expect(hidden.length).toBeGreaterThan(2);
      const inner = Array.from({ length: 51 }, (_, i) => 17 + i);
      const rigid = fitToLandmarks(m, observed, { rigidOnly: true });
      const a = fitToLandmarks(m, observed);
      const b = fitToLandmarks(m, observed, { weights: contourWeights(m, rigid.pose) });
      // Judged on where the fit puts every landmark against the true projections.
      plain += meanError(a.projected, clean, [...hidden, ...inner]) / 4;
      weighted += meanError(b.projected, clean, [...hidden, ...inner]) / 4;
    }
    console.log(
      `turned head, hidden jaw points 10 px off: mean landmark error ${plain.toFixed(2)} px plain, ${weighted.toFixed(2)} px with the jaw weighted by facing`,
    );
    expect(weighted).toBeLessThan(0.8 * plain);
  });
});
