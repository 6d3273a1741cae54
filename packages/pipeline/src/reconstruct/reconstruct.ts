import { KernelContext } from '@avatarme/kernels';
import type { RgbaImage } from '../image/codec.ts';
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
    const { detection, surface, unwrapped } = own(await photoUnwrap(ctx, photo, options, run));
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
    // The identity check needs only the photo and the unwrap's re-render: its FaceRes is submitted
    // once the layout's GPU work is done, and runs while the reflectance stage de-lights on the CPU.
    let identity: Promise<IdentityDescriptors> | undefined;
    own({
      dispose: () =>
        identity?.then(
          (d) => Promise.allSettled([d.photo, d.render]).then(() => {}),
          () => {},
        ),
    });
    const reflectance = own(
      await reflectanceStage(ctx, maps, unwrapped, surface, options, run, async (step) => {
        if (step === 'layout') await (identity = startIdentityCheck(detection, unwrapped));
      }),
    );

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
