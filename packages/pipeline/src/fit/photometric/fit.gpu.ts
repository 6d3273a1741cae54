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

/**
 * The loss at `truth` (nothing moves: one render) against its own render with the left half of the
 * photo painted over, under each set of photo pixel weights: none, 0 on the painted half, ½ everywhere.
 */
export async function runPixelWeights(device: GPUDevice, c: RecoveryCase) {
  const ctx = new KernelContext(device);
  const model = syntheticAbsModel();
  const n = c.photoSize;
  const target = await renderAbs(ctx, model, c.truth, { width: n, height: n }, n);
  const painted = Float32Array.from(target.image, (v, i) => (Math.floor(i / 3) % n < n / 2 ? 0.95 : v));
  const leftOff = Float32Array.from({ length: n * n }, (_, q) => (q % n < n / 2 ? 0 : 1));
  const lossOf = async (photo: Float32Array, pixelWeights?: Float32Array) => {
    const fit = await fitAbs(
      ctx,
      model,
      c.truth,
      { photo, width: n, height: n, landmarks: target.landmarks, pixelWeights },
      {
        levels: [{ size: n, iterations: 1, geometry: false }],
        optimise: { pose: false, focal: false, shape: false, light: false, albedo: false },
        initLight: false,
        weights: c.weights,
      },
    );
    return fit.history[0];
  };
  const result = {
    clean: await lossOf(target.image),
    painted: await lossOf(painted),
    paintedLeftOff: await lossOf(painted, leftOff),
    cleanLeftOff: await lossOf(target.image, leftOff),
    paintedHalf: await lossOf(painted, new Float32Array(n * n).fill(0.5)),
  };
  ctx.dispose();
  return result;
}
