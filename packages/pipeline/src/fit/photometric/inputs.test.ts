import { describe, expect, it } from 'vitest';
import type { KernelContext } from '@avatarme/kernels';
import { fitAbs, type AbsParams } from './optimise.ts';
import { syntheticAbsModel } from './synthetic.ts';

describe('fitAbs refuses inputs that do not match, before it touches the GPU', () => {
  it('names the pixel weights and the photo when their sizes differ', async () => {
    const model = syntheticAbsModel();
    const [w, h] = [6, 4];
    const params: AbsParams = {
      rotation: [1, 0, 0, 0, 1, 0, 0, 0, 1],
      translation: [0, 0, 30],
      focal: 100,
      weights: new Float64Array(model.sigma.length),
      sh: new Float64Array(27),
      albedo: new Float32Array(3 * 2 * 2),
      albedoSize: 2,
    };
    const target = {
      photo: new Float32Array(w * h * 3),
      width: w,
      height: h,
      landmarks: new Float64Array(2 * model.landmarks.length),
      pixelWeights: new Float32Array(w * h - 1),
    };
    // No GPU: the check comes first, so a context is never used.
    await expect(fitAbs({} as KernelContext, model, params, target)).rejects.toThrow(
      'fitAbs: 23 pixel weights for a 6×4 photo',
    );
  });
});
