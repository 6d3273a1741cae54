import type { KernelContext } from '@avatarme/kernels';
import type { FaceImage } from '../face/image.ts';
import type { ReconstructOptions } from '../reconstruct/types.ts';
import { faceMeshSurfaceModel } from '../surface/facemesh.ts';
import { headSurfaceModel } from '../surface/head.ts';
import type { Landmarks, PosedSurface, SurfaceModel } from '../surface/surface.ts';
import type { StageRunner } from './runner.ts';

/** The shape model the options ask for: the ICT head (a user's model, else the bundled one) or FaceMesh. */
export function surfaceModelFor(options: ReconstructOptions): SurfaceModel {
  if (options.shape === 'facemesh') return faceMeshSurfaceModel();
  return headSurfaceModel(options.faceModel ?? options.assets?.headModel, {
    method: options.fit,
    humanModels: options.assets?.humanModels,
  });
}

/**
 * Camera, pose and shape fitted to the landmarks (and, with fit 'photometric…', to the photo); the
 * head's eyeballs turned towards the irises when given.
 */
export function fitStage(
  ctx: KernelContext,
  landmarks: Landmarks,
  image: { width: number; height: number },
  options: ReconstructOptions,
  run: StageRunner,
  photo?: FaceImage,
  irises?: readonly { centre: readonly number[] }[],
): Promise<PosedSurface> {
  return surfaceModelFor(options).fit(ctx, landmarks, image, (f, m) => run.report(f, m), photo, irises);
}
