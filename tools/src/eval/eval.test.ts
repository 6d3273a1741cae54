import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { useGpuPage } from '@avatarme/testing';
import { describe, expect, it } from 'vitest';
import { melaninForIta } from './skin-model.ts';

const REPO = resolve(import.meta.dirname, '../../..');

/** The committed compact head when present, else the imported model beside the repository. */
function modelDir(): string {
  const inRepo = join(REPO, 'packages/pipeline/models/ict-head');
  if (existsSync(join(inRepo, 'model.json'))) return inRepo;
  const shared = resolve(REPO, '../shared/data/ict-face-model');
  if (!existsSync(join(shared, 'model.json')))
    throw new Error(
      `${shared}: no ICT Face Model (import it: npx avatarme import-face-model <ICT-FaceKit>/FaceXModel --out ${shared})`,
    );
  return shared;
}

const gpu = useGpuPage();
const page = gpu.module<typeof import('./page/eval.gpu.ts')>(new URL('./page/eval.gpu.ts', import.meta.url));

describe('eval metrics on a subject with known truth (small sizes)', () => {
  it('score the truth perfect, and the mean head and a lit albedo worse', async () => {
    const modelUrl = gpu.page.serveDirectory(modelDir());
    const { scores } = await page.selfCheck(
      { modelUrl, seed: 7, ita: 40, melanin: melaninForIta(40, 0.004), texture: 256, size: 96 },
      { timeoutMs: 900_000 },
    );
    const truth = scores.truth;
    const lit = scores['lit albedo'];
    const mean = scores['mean head'];
    // The subject's own mesh and maps, rendered by the same renderer from the same cameras.
    expect(truth.shape.medianMm).toBeLessThan(1e-3);
    expect(truth.coverage).toBe(1);
    expect(truth.albedoSiRmse).toBeLessThan(1e-6);
    expect(truth.albedoDeltaE).toBeLessThan(1e-3);
    expect(Math.abs(truth.itaErrorDeg)).toBeLessThan(1e-3);
    expect(truth.specularRmse).toBeLessThan(1e-6);
    expect(truth.diffuseNormalDeg).toBeLessThan(0.05);
    expect(truth.specularNormalDeg).toBeLessThan(0.05);
    expect(truth.relightPsnr).toBe(99); // identical images, PSNR capped
    expect(truth.relightSsim).toBeCloseTo(1, 6);

    // Light baked into the albedo: same shape and normals, wrong albedo, so wrong relighting.
    expect(lit.shape.medianMm).toBeLessThan(1e-3);
    expect(lit.albedoSiRmse).toBeGreaterThan(0.01);
    expect(lit.albedoDeltaE).toBeGreaterThan(1);
    expect(lit.relightPsnr).toBeLessThan(40);
    expect(lit.relightSsim).toBeLessThan(truth.relightSsim);

    // The mean head with one flat colour, flat specular, no normal maps.
    expect(mean.shape.medianMm).toBeGreaterThan(0.3);
    expect(mean.albedoDeltaE).toBeGreaterThan(1);
    expect(mean.specularRmse).toBeGreaterThan(0.01);
    expect(mean.diffuseNormalDeg).toBeGreaterThan(1);
    expect(mean.specularNormalDeg).toBeGreaterThan(mean.diffuseNormalDeg);
    expect(mean.relightPsnr).toBeLessThan(40);
  });
});
