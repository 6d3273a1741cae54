import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundledHeadModelUrl } from '../morphable/bundled.ts';
import { refineWithDensePoints } from '../morphable/dense.ts';
import { faceMeshTo68 } from '../morphable/facemesh68.ts';
import { fitToLandmarks } from '../morphable/fit.ts';
import { loadMorphableModel } from '../morphable/load.ts';
import type { MorphableModel } from '../morphable/model.ts';
import { FACEMESH_INNER_LIP, innerLipGap68, OPEN_INNER_LIP_WEIGHT } from '../morphable/mouth-open.ts';
import { nodeModelReader } from '../morphable/node-files.ts';
import { contourWeights } from '../morphable/visibility.ts';
import { fitHeadWeights, PHOTO_FIT_OPTIONS, type HeadLandmarks } from './fit.ts';

const ROOT = resolve(import.meta.dirname, '../../../..');
/** FaceMesh's points on the bundled sample (an open smile, teeth showing; 512² photo). */
const SAMPLE = (
  JSON.parse(readFileSync(resolve(ROOT, 'assets/astronaut-landmarks.json'), 'utf8')) as {
    landmarks: [number, number, number][];
  }
).landmarks;

/** Facing points of FaceMesh's inner-lip loop (upper, lower), corners excluded. */
const FACING = [
  [191, 95],
  [80, 88],
  [81, 178],
  [82, 87],
  [13, 14],
  [312, 317],
  [311, 402],
  [310, 318],
  [415, 324],
] as const;

/** The sample's points with the lips closed: each facing pair of inner-lip points moved to its midpoint. */
function closedLips(points: HeadLandmarks): [number, number, number][] {
  const out = points.map((p) => [p[0], p[1], p[2]] as [number, number, number]);
  for (const [a, b] of FACING) {
    const mid = out[a].map((v, k) => (v + out[b][k]) / 2) as [number, number, number];
    out[a] = [...mid];
    out[b] = [...mid];
  }
  return out;
}

/** The head fit's recipe with every landmark and dense point weighted alike: the fit before open mouths. */
function plainFit(model: MorphableModel, landmarks: HeadLandmarks) {
  const points = Float64Array.from(landmarks.flat());
  const lm3 = faceMeshTo68(points, 3);
  const lm2 = Float64Array.from({ length: 136 }, (_, i) => lm3[3 * (i >> 1) + (i & 1)]);
  const depth = Float64Array.from({ length: 68 }, (_, i) => lm3[3 * i + 2]);
  const rigid = fitToLandmarks(model, lm2, { ...PHOTO_FIT_OPTIONS, depth, rigidOnly: true });
  const weights = contourWeights(model, rigid.pose);
  const byLandmarks = fitToLandmarks(model, lm2, { ...PHOTO_FIT_OPTIONS, depth, weights });
  return refineWithDensePoints(model, byLandmarks, lm2, points, { ...PHOTO_FIT_OPTIONS, visibility: true });
}

describe('the head fit and the photo’s lips (bundled head, FaceMesh points of the sample)', () => {
  let model: MorphableModel;
  beforeAll(async () => {
    model = await loadMorphableModel(nodeModelReader(fileURLToPath(bundledHeadModelUrl())));
  });

  it('fits closed lips exactly as before: same targets, weights, identity and expression', () => {
    const closed = closedLips(SAMPLE);
    const got = fitHeadWeights(model, closed);
    const plain = plainFit(model, closed);
    expect(got.mouth.openness).toBe(0);
    expect(got.targets.vertices).toEqual(plain.targets.vertices);
    expect(got.targets.points).toEqual(plain.targets.points);
    expect(got.targets.weights).toEqual(plain.targets.weights);
    expect(got.fit.identity).toEqual(plain.fit.identity);
    expect(got.fit.expression).toEqual(plain.fit.expression);
  });

  it('opens the fitted mouth to near the photo’s on the sample’s open smile', () => {
    const got = fitHeadWeights(model, SAMPLE);
    const plain = plainFit(model, SAMPLE);
    expect(got.mouth.openness).toBe(1);
    // In the refit, a landmark's weight is its visibility at the landmark fit's pose, the inner lips'
    // OPEN_INNER_LIP_WEIGHT times that.
    const visible = contourWeights(model, got.byLandmarks.pose);
    for (let i = 0; i < 68; i++)
      expect(got.targets.weights[i]).toBeCloseTo(visible[i] * (i >= 60 ? OPEN_INNER_LIP_WEIGHT : 1), 12);
    // No dense target is a FaceMesh inner-lip point.
    const dense = got.targets.points.slice(136);
    for (const j of FACEMESH_INNER_LIP)
      for (let k = 0; k < dense.length; k += 2)
        expect(dense[k] === SAMPLE[j][0] && dense[k + 1] === SAMPLE[j][1]).toBe(false);
    const photo = innerLipGap68(got.landmarks68);
    const fitted = innerLipGap68(got.fit.projected);
    const before = innerLipGap68(plain.fit.projected);
    console.log(
      `[mouth fit] inner lips: photo ${photo.toFixed(2)} px, fit ${before.toFixed(2)} → ${fitted.toFixed(2)} px`,
    );
    // Photo 7.4 px apart (mean of the three facing pairs, 512² photo). The plain fit leaves ~2 px; the
    // open-mouth weights with the photo fit's expression prior (σ 0.2) 5.3 px, with the prior loosened
    // to OPEN_EXPRESSION_SIGMA 6.5 px. 1.2 px short leaves room for another recording of the points,
    // not for the tight prior.
    expect(before).toBeLessThan(3);
    expect(fitted).toBeGreaterThan(photo - 1.2);
    expect(fitted).toBeLessThan(photo + 1);
  });
});
