import { KernelContext } from '@avatarme/kernels';
import { irisLandmarks } from '../face/iris.ts';
import type { RgbaImage } from '../image/codec.ts';
import { detectStage } from '../stages/detect.ts';
import { exportStage } from '../stages/export.ts';
import { fitStage } from '../stages/fit.ts';
import { landmarksStage } from '../stages/landmarks.ts';
import { reflectanceStage } from '../stages/reflectance.ts';
import { StageRunner } from '../stages/runner.ts';
import { unwrapStage } from '../stages/unwrap.ts';
import { mouthContours } from '../unwrap/mouth-opening.ts';
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
  const uvSize = options.uvSize ?? 256;
  const run = new StageRunner(options, device);
  const ctx = new KernelContext(device);
  const owned: { dispose(): void | Promise<void> }[] = [];
  const own = <T extends { dispose(): void | Promise<void> }>(x: T): T => (owned.push(x), x);
  try {
    await run.begin('detect', 'decoding the photo');
    const detection = own(await detectStage(ctx, photo, options, run));
    const { image } = detection;

    await run.begin('landmarks', `${detection.faces.length} face(s); 468 landmarks of the largest`);
    const landmarks = await landmarksStage(detection);
    // The head's eyeballs turn towards the Iris model's irises and are textured from them; the FaceMesh mask has none.
    const irises =
      options.shape === 'facemesh' ? [] : await irisLandmarks(detection.models, detection.photo, landmarks);

    await run.begin(
      'fit',
      options.shape === 'facemesh' ? 'camera, pose and face shape' : 'camera, pose and head',
    );
    const surface = await fitStage(ctx, landmarks, image, options, run, detection.photo, irises);

    await run.begin('unwrap', `UV texture ${uvSize}²`);
    const unwrapped = own(
      await unwrapStage(ctx, detection.photo, surface, uvSize, run, {
        ...options,
        irises,
        mouth: mouthContours(landmarks),
      }),
    );

    await run.begin(
      'upsample',
      (options.upscale ?? 1) > 1 ? `ESRGAN ×${options.upscale}` : 'off (upscale 1)',
    );
    const maps = own(await upsampleStage(ctx, unwrapped, options, run));

    await run.begin(
      'reflectance',
      options.weights ? 'pix2pixhd backend: loading weights' : 'analytic backend',
    );
    const reflectance = own(await reflectanceStage(ctx, maps, unwrapped, surface, options, run));

    await run.begin('export', 'maps, mesh, renders');
    return await exportStage(
      ctx,
      { detection, surface, unwrapped, maps, reflectance },
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
