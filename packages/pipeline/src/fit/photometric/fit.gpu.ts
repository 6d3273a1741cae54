// Page half of fit.test.ts: runs in headless Chromium with a real GPUDevice.
import { KernelContext } from '@avatarme/kernels';
import { fitAbs, renderAbs, type AbsOptions, type AbsParams } from './optimise.ts';
import { syntheticAbsModel } from './synthetic.ts';

export interface RecoveryCase {
  truth: AbsParams;
  init: AbsParams;
  photoSize: number;
  levels: NonNullable<AbsOptions['levels']>;
  optimise: AbsOptions['optimise'];
  landmarkSigma?: number;
  weights?: AbsOptions['weights'];
}

/** Renders the truth as the photo (with its landmarks), then fits from `init`. */
export async function runRecovery(device: GPUDevice, c: RecoveryCase) {
  const ctx = new KernelContext(device);
  const model = syntheticAbsModel();
  const size = { width: c.photoSize, height: c.photoSize };
  const target = await renderAbs(ctx, model, c.truth, size, c.photoSize);
  const progress: number[] = [];
  const fit = await fitAbs(
    ctx,
    model,
    c.init,
    { photo: target.image, width: c.photoSize, height: c.photoSize, landmarks: target.landmarks },
    {
      levels: c.levels,
      optimise: c.optimise,
      landmarkSigma: c.landmarkSigma,
      weights: c.weights,
      onProgress: (p) => progress.push(p.iteration),
    },
  );
  const initial = await renderAbs(ctx, model, c.init, size, c.photoSize);
  const final = await renderAbs(ctx, model, fit.params, size, c.photoSize);
  const live = ctx.pool.stats().liveBuffers;
  ctx.dispose();
  const rmse = (img: Float32Array) =>
    Math.sqrt(img.reduce((s, v, i) => s + (v - target.image[i]) ** 2, 0) / img.length);
  return {
    params: fit.params,
    history: fit.history,
    seconds: fit.seconds,
    progress,
    rmseBefore: rmse(initial.image),
    rmseAfter: rmse(final.image),
    covered: target.rast.filter((_, i) => i % 4 === 3 && target.rast[i] > 0).length,
    liveBuffers: live,
  };
}

/** A fit cancelled from its first progress event. */
export async function runCancelled(device: GPUDevice, c: RecoveryCase) {
  const ctx = new KernelContext(device);
  const model = syntheticAbsModel();
  const size = { width: c.photoSize, height: c.photoSize };
  const target = await renderAbs(ctx, model, c.truth, size, c.photoSize);
  const abort = new AbortController();
  let seen = 0;
  try {
    await fitAbs(
      ctx,
      model,
      c.init,
      { photo: target.image, width: c.photoSize, height: c.photoSize, landmarks: target.landmarks },
      {
        levels: c.levels,
        signal: abort.signal,
        onProgress: () => {
          seen++;
          abort.abort(new Error('cancelled by the test'));
        },
      },
    );
    return { error: '', seen, liveBuffers: -1 };
  } catch (e) {
    const live = ctx.pool.stats().liveBuffers;
    ctx.dispose();
    return { error: (e as Error).message, seen, liveBuffers: live };
  }
}
