import { KernelContext } from '@avatarme/kernels';
import type { RgbaImage } from '../image/codec.ts';
import { startPhotoDescriptor } from '../face/index.ts';
import { exportStage, startIdentityCheck, type IdentityDescriptors } from '../stages/export.ts';
import { photoUnwrap } from '../stages/photo-unwrap.ts';
import { reflectanceStage } from '../stages/reflectance.ts';
import { StageRunner } from '../stages/runner.ts';
import { upsampleStage } from '../stages/upsample.ts';
import { modelAssets } from './model-base.ts';
import type { ReconstructOptions, ReconstructionResult } from './types.ts';

/**
 * The whole reconstruction on one GPUDevice: detect → landmarks → fit → unwrap → upsample →
 * reflectance → export, each stage a module of its own (src/stages/) that owns what it allocates.
 * Cancelling through `signal` stops between steps; every GPU buffer made here is released before
 * returning or throwing.
 */
export async function reconstruct(
  device: GPUDevice,
  photo: Uint8Array | RgbaImage,
  options: ReconstructOptions = {},
): Promise<ReconstructionResult> {
  options = { ...options, assets: modelAssets(options) };
  const run = new StageRunner(options, device);
  const ctx = new KernelContext(device);
  const owned: { dispose(): void | Promise<void> }[] = [];
  const own = <T extends { dispose(): void | Promise<void> }>(x: T): T => (owned.push(x), x);
  try {
    // The identity check's FaceRes (when asked for) runs on the GPU while the CPU works elsewhere: the
    // photo's (a memo hit after a page's first run) under the head fit, the re-render's under the
    // de-lighting.
    const identityCheck = options.identityCheck ?? false;
    let photoDescriptor: Promise<Float32Array> | undefined;
    let identity: Promise<IdentityDescriptors> | undefined;
    own({
      dispose: () =>
        Promise.allSettled([
          photoDescriptor,
          identity?.then((d) => Promise.allSettled([d.photo, d.render])),
        ]).then(() => {}),
    });
    const { detection, surface, unwrapped } = own(
      await photoUnwrap(ctx, photo, options, run, async (d) => {
        if (!identityCheck) return;
        photoDescriptor = (await startPhotoDescriptor(d.models, d.image, d.photo, d.faces[0])).descriptor;
        photoDescriptor.catch(() => {});
      }),
    );
    const { image } = detection;

    await run.begin(
      'upsample',
      (options.upscale ?? 1) > 1 ? `ESRGAN ×${options.upscale}` : 'off (upscale 1)',
    );
    const maps = own(await upsampleStage(ctx, unwrapped, options, run));

    await run.begin(
      'reflectance',
      options.weights ? 'pix2pixhd backend: loading weights' : 'analytic backend',
    );
    const startCheck = () => (identity ??= startIdentityCheck(detection, unwrapped, photoDescriptor));
    const reflectance = own(
      await reflectanceStage(ctx, maps, unwrapped, surface, options, run, async (step) => {
        if (identityCheck && step === 'layout') await startCheck();
      }),
    );
    // The networks' backend has no layout step to start it under.
    if (identityCheck) startCheck();

    await run.begin('export', 'maps, mesh, renders');
    return await exportStage(
      ctx,
      { detection, surface, unwrapped, maps, reflectance, identity },
      run,
      {
        input: {
          name: options.name ?? 'image',
          width: image.sourceWidth,
          height: image.sourceHeight,
          workingWidth: image.width,
          workingHeight: image.height,
        },
        adapter: { vendor: device.adapterInfo?.vendor, architecture: device.adapterInfo?.architecture },
        surfaceModel: options.shape ?? 'head',
      },
      options.renders,
    );
  } finally {
    for (const o of owned.reverse()) await o.dispose();
    ctx.dispose();
  }
}
