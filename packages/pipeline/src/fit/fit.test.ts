import { describe, expect, it } from 'vitest';
import { randomArray, rng } from '@avatarme/testing';
import { shBasis } from '../lighting/sh.ts';
import { canonicalFace, FACE_VERTEX_COUNT } from '../mesh/face-mesh.ts';
import { FRONTAL, headAngles } from './camera.ts';
import { fitFace, type Landmarks } from './face-fit.ts';
import { fitShLighting } from './lighting.ts';
import { linearToSrgb } from '../math/colour.ts';
import {
  choleskySolve,
  mat3Mul,
  rotationAboutAxis,
  rotationAngleBetween,
  symmetricEigen,
  type Mat3,
} from '../math/linalg.ts';
import { applySimilarity, fitSimilarity, type Similarity } from './similarity.ts';

const DEG = Math.PI / 180;

/** A head turned by yaw/pitch/roll (degrees) in the camera frame (x right, y down, z away). */
function headRotation(yaw: number, pitch: number, roll: number): Mat3 {
  const r = mat3Mul(
    rotationAboutAxis([0, 0, 1], roll * DEG),
    mat3Mul(rotationAboutAxis([1, 0, 0], pitch * DEG), rotationAboutAxis([0, 1, 0], yaw * DEG)),
  );
  return mat3Mul(r, FRONTAL);
}

function toLandmarks(points: ArrayLike<number>, noise = 0, seed = 1): Landmarks {
  const r = rng(seed);
  // Box–Muller Gaussian noise in pixels.
  const g = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r()) * noise;
  return Array.from(
    { length: FACE_VERTEX_COUNT },
    (_, i) => [points[3 * i] + g(), points[3 * i + 1] + g(), points[3 * i + 2] + g()] as const,
  );
}

describe('linear algebra', () => {
  it('solves an SPD system and finds the eigenpairs of a symmetric matrix', () => {
    const a = [4, 1, 0.5, 1, 3, 0.2, 0.5, 0.2, 2];
    const x = choleskySolve(a, [1, 2, 3], 3);
    for (let i = 0; i < 3; i++)
      expect(a[3 * i] * x[0] + a[3 * i + 1] * x[1] + a[3 * i + 2] * x[2]).toBeCloseTo(i + 1, 12);
    const { values, vectors } = symmetricEigen(a, 3);
    expect(values[0]).toBeGreaterThanOrEqual(values[1]);
    for (let k = 0; k < 3; k++) {
      const v = [vectors[k], vectors[3 + k], vectors[6 + k]];
      for (let i = 0; i < 3; i++)
        expect(a[3 * i] * v[0] + a[3 * i + 1] * v[1] + a[3 * i + 2] * v[2]).toBeCloseTo(values[k] * v[i], 10);
    }
    expect(() => choleskySolve([1, 2, 2, 1], [1, 1], 2)).toThrow(/not positive definite/);
  });

  it('recovers a similarity exactly from noiseless points', () => {
    const src = randomArray(30, 3, -5, 5);
    const truth: Similarity = {
      scale: 7.5,
      rotation: rotationAboutAxis([0.6, 0, 0.8], 2.1),
      translation: [3, -40, 12],
    };
    const got = fitSimilarity(src, applySimilarity(truth, src));
    // The targets are float32 (applySimilarity's output): ~1e-7 relative.
    expect(got.scale).toBeCloseTo(7.5, 6);
    expect(rotationAngleBetween(got.rotation, truth.rotation)).toBeLessThan(1e-3);
    got.translation.forEach((t, k) => expect(t).toBeCloseTo(truth.translation[k], 4));
  });
});

describe('fitFace on synthetic landmarks (the canonical face under a known camera)', () => {
  const canonical = canonicalFace().positions;

  it('recovers a weak-perspective camera and pose under 0.5 px landmark noise', () => {
    const truth: Similarity = { scale: 14, rotation: headRotation(25, -12, 8), translation: [260, 230, 400] };
    const landmarks = toLandmarks(applySimilarity(truth, canonical), 0.5, 4);
    const fit = fitFace(landmarks, { width: 512, height: 512 });
    expect(rotationAngleBetween(fit.camera.rotation, truth.rotation)).toBeLessThan(0.5);
    expect(Math.abs(fit.camera.scale / truth.scale - 1)).toBeLessThan(0.005);
    expect(Math.abs(fit.angles.yaw - 25)).toBeLessThan(0.5);
    expect(Math.abs(fit.angles.pitch - -12)).toBeLessThan(0.5);
    expect(Math.abs(fit.angles.roll - 8)).toBeLessThan(0.5);
    // The rigid canonical face explains the landmarks up to the noise (mean |2-D Gaussian| = 0.63 px).
    expect(fit.rigidResidual.mean).toBeLessThan(1);
    // Loop smoothing moves landmark vertices a little (the face is ~240 px wide here): a few pixels at most.
    expect(fit.reprojection.mean).toBeLessThan(3);
    expect(fit.mesh.triangles.length).toBe(4 * 880 * 3);
    // The fitted shape is this face in the canonical frame: near the canonical face itself here.
    let dev = 0;
    for (let i = 0; i < canonical.length; i++) dev = Math.max(dev, Math.abs(fit.shape[i] - canonical[i]));
    expect(dev).toBeLessThan(0.3);
  });

  it('stays close under a true perspective projection (face 60 cm away, 50° field of view)', () => {
    const rotation = headRotation(-30, 5, 0);
    const f = 512 / 2 / Math.tan(25 * DEG);
    const pts = applySimilarity({ scale: 1, rotation, translation: [0, 0, 60] }, canonical);
    const projected = new Float32Array(pts.length);
    for (let i = 0; i < pts.length; i += 3) {
      // FaceMesh-like output: x, y projected, z the depth scaled like x at the face's distance.
      projected.set(
        [256 + (f * pts[i]) / pts[i + 2], 256 + (f * pts[i + 1]) / pts[i + 2], (f * (pts[i + 2] - 60)) / 60],
        i,
      );
    }
    const fit = fitFace(toLandmarks(projected), { width: 512, height: 512 });
    expect(rotationAngleBetween(fit.camera.rotation, rotation)).toBeLessThan(3);
    expect(fit.reprojection.mean).toBeLessThan(3);
  });

  it('reports a frontal head as zero angles', () => {
    const a = headAngles({ scale: 1, rotation: FRONTAL, translation: [0, 0, 0] });
    expect(Math.abs(a.yaw) + Math.abs(a.pitch) + Math.abs(a.roll)).toBeLessThan(1e-9);
  });

  it('rejects a landmark list of the wrong length, naming the counts', () => {
    expect(() => fitFace([[0, 0, 0]], { width: 1, height: 1 })).toThrow(/1 landmarks, FaceMesh gives 468/);
  });
});

describe('SH lighting fit', () => {
  it('recovers 27 coefficients from shaded texels with normals over a hemisphere', () => {
    const r = rng(9);
    const truth = new Float32Array(27);
    for (let c = 0; c < 3; c++) {
      truth[9 * c] = 1.6 + 0.1 * c;
      for (let k = 1; k < 9; k++) truth[9 * c + k] = (r() - 0.5) * 0.3;
    }
    const n = 2000;
    const normals = new Float32Array(n * 3);
    const colors = new Float32Array(n * 3);
    const basis = new Float64Array(9);
    for (let i = 0; i < n; i++) {
      const z = r();
      const phi = 2 * Math.PI * r();
      const s = Math.sqrt(1 - z * z);
      normals.set([s * Math.cos(phi), s * Math.sin(phi), z], 3 * i);
      shBasis(s * Math.cos(phi), s * Math.sin(phi), z, basis);
      for (let c = 0; c < 3; c++) {
        let v = 0;
        for (let k = 0; k < 9; k++) v += truth[9 * c + k] * basis[k];
        colors[3 * i + c] = linearToSrgb(v);
      }
    }
    const fit = fitShLighting(colors, normals, new Float32Array(n).fill(1), 1e-9);
    const err = Math.max(...Array.from(fit.coefficients, (v, i) => Math.abs(v - truth[i])));
    // Colours went through sRGB at float32; the hemisphere still pins all 9 terms.
    expect(err).toBeLessThan(1e-3);
    expect(fit.rms).toBeLessThan(1e-4);
  });
});
