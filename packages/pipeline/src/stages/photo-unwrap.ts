import type { KernelContext } from '@avatarme/kernels';
import { irisLandmarks } from '../face/iris.ts';
import type { RgbaImage } from '../image/codec.ts';
import type { ReconstructOptions } from '../reconstruct/types.ts';
import type { Landmarks, PosedSurface } from '../surface/surface.ts';
import type { IrisDisc } from '../unwrap/iris.ts';
import { mouthContours } from '../unwrap/mouth-opening.ts';
import { detectStage, type Detection } from './detect.ts';
import { fitStage } from './fit.ts';
import { landmarksStage } from './landmarks.ts';
import type { StageRunner } from './runner.ts';
import { unwrapStage, type Unwrapped } from './unwrap.ts';

export interface PhotoUnwrap {
  detection: Detection;
  landmarks: Landmarks;
  irises: readonly IrisDisc[];
  surface: PosedSurface;
  unwrapped: Unwrapped;
  /** Releases the unwrap's and the detection's GPU buffers. */
  dispose(): Promise<void>;
}

/**
 * The stages up to the UV texture — detect → landmarks (and the head's irises) → fit → unwrap (with
 * the irises and the photo's mouth opening) — shared by reconstruct and the diagnostics that look at
 * the unwrap, so they all see the texture the product makes. Nothing is left allocated on failure.
 */
export async function photoUnwrap(
  ctx: KernelContext,
  photo: Uint8Array | RgbaImage,
  options: ReconstructOptions,
  run: StageRunner,
  /** Awaited before the fit, which is mostly CPU work: a caller may submit GPU work there. */
  beforeFit?: (detection: Detection) => Promise<void>,
): Promise<PhotoUnwrap> {
  const uvSize = options.uvSize ?? 256;
  await run.begin('detect', 'decoding the photo');
  const detection = await detectStage(ctx, photo, options, run);
  try {
    await run.begin('landmarks', `${detection.faces.length} face(s); 468 landmarks of the largest`);
    const landmarks = await landmarksStage(detection);
    // The head's eyeballs turn towards the Iris model's irises and are textured from them; the FaceMesh mask has none.
    const irises =
      options.shape === 'facemesh' ? [] : await irisLandmarks(detection.models, detection.photo, landmarks);

    await beforeFit?.(detection);
    await run.begin(
      'fit',
      options.shape === 'facemesh' ? 'camera, pose and face shape' : 'camera, pose and head',
    );
    const surface = await fitStage(ctx, landmarks, detection.image, options, run, detection.photo, irises);

    await run.begin('unwrap', `UV texture ${uvSize}²`);
    const unwrapped = await unwrapStage(ctx, detection.photo, surface, uvSize, run, {
      ...options,
      irises,
      mouth: mouthContours(landmarks),
    });
    return {
      detection,
      landmarks,
      irises,
      surface,
      unwrapped,
      async dispose() {
        unwrapped.dispose();
        await detection.dispose();
      },
    };
  } catch (e) {
    await detection.dispose();
    throw e;
  }
}
