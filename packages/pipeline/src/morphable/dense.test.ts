import { describe, expect, it } from 'vitest';
import { rng } from '@avatarme/testing';
import { refineWithDensePoints } from './dense.ts';
import { FACEMESH_TO_68 } from './facemesh68.ts';
import { fitToLandmarks } from './fit.ts';
import { fittedMesh, imageSpaceVertices } from './fitted-mesh.ts';
import { loadIctModel } from './ict-testdata.ts';
import { evaluateShape, type MorphableModel } from './model.ts';
import { projectPoints, transformPoints } from './pose.ts';
import { landmarkError } from './quality.ts';
import { syntheticFace } from './synthetic.ts';

/**
 * FaceMesh-like dense points for a synthetic face: 468 points with x, y, z in pixels. The indices the
 * 68-point table uses sit on the model's landmark vertices; the others on random face vertices. z gets
 * an arbitrary offset (FaceMesh's depth has no fixed origin); x, y, z get Gaussian noise.
 */
function syntheticFaceMesh(model: MorphableModel, seed: number, noisePx: number) {
  const s = syntheticFace(model, seed, { noisePx });
  const r = rng(seed + 1000);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  const vertexOf = Int32Array.from({ length: 468 }, () => Math.floor(r() * 9409));
  FACEMESH_TO_68.forEach((src, i) => src.forEach((j) => (vertexOf[j] = model.landmarks[i])));
  const posed = transformPoints(s.pose, evaluateShape(model, s.identity, s.expression));
  const dense = new Float64Array(468 * 3);
  for (let i = 0; i < 468; i++) {
    for (let c = 0; c < 3; c++)
      dense[i * 3 + c] = posed[vertexOf[i] * 3 + c] + noisePx * gauss() + (c === 2 ? 500 : 0);
  }
  return { s, dense, posed };
}

/** Mean 2-D error over every 5th face vertex between a fit and the truth, in pixels. */
function faceError(
  model: MorphableModel,
  fit: ReturnType<typeof fitToLandmarks>,
  truth: Float64Array,
): number {
  const proj = projectPoints(fit.pose, evaluateShape(model, fit.identity, fit.expression));
  let sum = 0;
  let count = 0;
  for (let v = 0; v <= 9408; v += 5) {
    sum += Math.hypot(proj[v * 2] - truth[v * 3], proj[v * 2 + 1] - truth[v * 3 + 1]);
    count++;
  }
  return sum / count;
}

describe('dense refinement with FaceMesh-like points (synthetic ICT faces)', () => {
  it('lowers the error over the whole face compared with the 68-landmark fit', async () => {
    const m = await loadIctModel();
    const lines: string[] = [];
    let sparseSum = 0;
    let denseSum = 0;
    for (let seed = 1; seed <= 4; seed++) {
      const { s, dense, posed } = syntheticFaceMesh(m, seed, 1);
      const sparse = fitToLandmarks(m, s.noisy);
      const refined = refineWithDensePoints(m, sparse, s.noisy, dense);
      const e0 = faceError(m, sparse, posed);
      const e1 = faceError(m, refined.fit, posed);
      sparseSum += e0;
      denseSum += e1;
      const matched = refined.correspondence.filter((v) => v >= 0).length;
      lines.push(
        `seed ${seed}: face vertices ${e0.toFixed(2)} px (landmarks only) → ${e1.toFixed(2)} px (dense, ${matched}/468 matched); landmarks ${landmarkError(refined.fit.projected, s.clean).meanPx.toFixed(2)} px`,
      );
      expect(refined.fit.identity.every((w) => Math.abs(w) <= 3)).toBe(true);
      expect(landmarkError(refined.fit.projected, s.clean).meanPctInterOcular).toBeLessThan(2);
    }
    console.log(`[dense refinement]\n${lines.join('\n')}`);
    expect(denseSum).toBeLessThan(sparseSum);
  });
});

describe('fitted mesh for the unwrap', () => {
  it('has one UV per vertex, keeps only the requested regions, and projects like the fit', async () => {
    const m = await loadIctModel();
    const s = syntheticFace(m, 3, { noisePx: 0.5 });
    const fit = fitToLandmarks(m, s.noisy);
    const camera = { kind: 'scaled-orthographic' as const, width: 512, height: 512 };
    const full = fittedMesh(m, fit, camera);
    expect(full.uvs.length / 2).toBe(full.vertices.length / 3);
    expect(full.triangles.length).toBe(m.triangles.length);
    const face = fittedMesh(m, fit, camera, { regions: ['face', 'head_and_neck'] });
    expect(face.triangles.length).toBeLessThan(full.triangles.length);
    expect(Array.from(face.triangles).every((t) => face.sourceVertex[t] <= 11247)).toBe(true);
    // The split vertex of landmark 30 (nose tip) lands where the fit projected it.
    const img = imageSpaceVertices(full);
    const split = Array.from(full.sourceVertex).indexOf(m.landmarks[30]);
    expect(img[split * 3]).toBeCloseTo(fit.projected[60], 3);
    expect(img[split * 3 + 1]).toBeCloseTo(fit.projected[61], 3);
  });
});
