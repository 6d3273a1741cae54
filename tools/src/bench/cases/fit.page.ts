// Page half of cases/fit.ts: the photometric head fit (fit/photometric/optimise.ts) over a schedule of
// levels on the bundled ICT head, against a render of the head itself, so every run does the same work.
import { KernelContext } from '@avatarme/kernels';
import { HEAD_ABS_LEVELS, HEAD_ABS_WEIGHTS, headAbsModel } from '@avatarme/pipeline/fit/photometric/head.ts';
import { faceResIdentityLoss, landmarkCropBox } from '@avatarme/pipeline/fit/photometric/identity.ts';
import {
  fitAbs,
  renderAbs,
  type AbsOptions,
  type AbsParams,
} from '@avatarme/pipeline/fit/photometric/optimise.ts';
import { fetchModelReader, loadMorphableModel } from '@avatarme/pipeline/morphable/load.ts';
import { timeRuns, type PageBenchFn } from '../page/timing.ts';

export interface FitArgs {
  modelUrl: string;
  /** Photo side. */
  photo: number;
  /** The levels timed ('head': the head fit's default schedule). */
  levels: NonNullable<AbsOptions['levels']> | 'head';
  /** With FaceRes' identity loss against the target render (the head's weight). */
  identity?: boolean;
}

export const fitOurs: PageBenchFn<FitArgs> = async (device, req) => {
  const { photo } = req.args;
  const levels = req.args.levels === 'head' ? HEAD_ABS_LEVELS : req.args.levels;
  const ctx = new KernelContext(device);
  try {
    const model = headAbsModel(await loadMorphableModel(fetchModelReader(req.args.modelUrl)));
    const M = model.sigma.length;
    // A frontal head 60 cm from a camera of focal 2 × the photo side, lit by ambient SH.
    const focal = 2 * photo;
    const sh = new Float64Array(27);
    for (let c = 0; c < 3; c++) sh[9 * c] = 2;
    const params = (weights: Float64Array): AbsParams => ({
      rotation: [1, 0, 0, 0, -1, 0, 0, 0, -1],
      translation: [0, 0, 60],
      focal,
      weights,
      sh,
      albedo: new Float32Array(32 * 32 * 3).fill(0.6),
      albedoSize: 32,
    });
    const truth = Float64Array.from({ length: M }, (_, i) => (i < 10 ? 0.5 * Math.sin(i + 1) : 0));
    const target = await renderAbs(ctx, model, params(truth), { width: photo, height: photo }, photo);
    const identityLoss = req.args.identity
      ? await faceResIdentityLoss(
          ctx,
          { rgb: target.image, width: photo, height: photo },
          landmarkCropBox(target.landmarks),
        )
      : undefined;
    return await timeRuns(req, async () => {
      await fitAbs(
        ctx,
        model,
        params(new Float64Array(M)),
        { photo: target.image, width: photo, height: photo, landmarks: target.landmarks },
        { levels, identityLoss, weights: identityLoss ? { identity: HEAD_ABS_WEIGHTS.identity } : {} },
      );
    });
  } finally {
    ctx.dispose();
  }
};
