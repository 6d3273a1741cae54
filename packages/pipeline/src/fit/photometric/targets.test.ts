import { describe, expect, it } from 'vitest';
import { mat3Mul, rotationFromAxisAngle } from '../../math/linalg.ts';
import { transformPoints, type Pose } from '../../morphable/pose.ts';
import { pointTerm, type PerspectiveCamera } from './geometry.ts';
import { perspectiveOffsets } from './head.ts';
import { blendShape } from './optimise.ts';
import { syntheticAbsModel } from './synthetic.ts';

const model = syntheticAbsModel();
const weights = [0.8, -0.5, 0.6];
const shape = blendShape(model, weights);
const Vm = shape.length / 3;
// Image rows point down, model y up: the weak pose flips y as the fits' rotations do.
const rotation = mat3Mul(rotationFromAxisAngle([0.1, 0.35, 0.05]), [1, 0, 0, 0, -1, 0, 0, 0, -1]);
const pose: Pose = { rotation, scale: 10, translation: [64, 64, 0] };
// A near camera (the head ~10 units across, 25 away): perspective moves points by pixels.
const cam: PerspectiveCamera = { rotation, translation: [0, 0, 25], focal: 250, centre: [64, 64] };
const vertices = Array.from({ length: 40 }, (_, i) => (i * 37) % Vm);
const pointWeights = vertices.map((_, i) => 0.5 + (i % 3) * 0.25);
const sigma = 8;

/** The weak pose's Gaussian point term, from transformPoints alone. */
function weakTerm(points: ArrayLike<number>): number {
  let value = 0;
  vertices.forEach((v, i) => {
    const p = transformPoints(pose, shape.subarray(3 * v, 3 * v + 3));
    value +=
      (0.5 * pointWeights[i] * ((p[0] - points[2 * i]) ** 2 + (p[1] - points[2 * i + 1]) ** 2)) / sigma ** 2;
  });
  return value;
}

describe('perspectiveOffsets (the landmark fit’s points for the perspective refit)', () => {
  // Detector points: the weak projections with a fixed pseudo-random offset of a few pixels, as
  // FaceMesh's sit off the fitted vertices.
  const points = Float64Array.from({ length: 2 * vertices.length }, (_, i) => {
    const v = vertices[i >> 1];
    const p = transformPoints(pose, shape.subarray(3 * v, 3 * v + 3));
    return p[i & 1] + 4 * Math.sin(1.7 * i + 0.3);
  });

  it('gives the perspective camera the weak pose’s residuals at the start (1e-9 relative)', () => {
    const offsets = perspectiveOffsets(shape, cam, pose, vertices);
    const moved = points.map((y, i) => y + offsets[i]);
    const got = pointTerm(
      shape,
      model.basis,
      0,
      cam,
      { vertices, points: moved, weights: pointWeights, sigma },
      false,
    );
    const want = weakTerm(points);
    expect(want).toBeGreaterThan(1);
    expect(Math.abs(got.value - want)).toBeLessThan(1e-9 * want);
    // Without the offsets the same camera sees other residuals: the test would notice their loss.
    const plain = pointTerm(
      shape,
      model.basis,
      0,
      cam,
      { vertices, points, weights: pointWeights, sigma },
      false,
    );
    expect(Math.abs(plain.value - want)).toBeGreaterThan(0.1 * want);
  });

  it('is zero when the camera projects as the weak pose does', () => {
    // Far away with the focal length scaled alike: perspective tends to the weak pose (~1e-5 px here).
    const far: PerspectiveCamera = { rotation, translation: [0, 0, 1e6], focal: 1e7, centre: [64, 64] };
    const offsets = perspectiveOffsets(shape, far, pose, vertices);
    for (const d of offsets) expect(Math.abs(d)).toBeLessThan(1e-3);
  });
});
