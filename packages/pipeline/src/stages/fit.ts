import type { KernelContext } from '@avatarme/kernels';
import type { ReconstructOptions } from '../reconstruct/types.ts';
import { faceMeshSurfaceModel } from '../surface/facemesh.ts';
import { headSurfaceModel } from '../surface/head.ts';
import type { Landmarks, PosedSurface, SurfaceModel } from '../surface/surface.ts';
import type { StageRunner } from './runner.ts';

/** The shape model the options ask for: the ICT head (a user's model, else the bundled one) or FaceMesh. */
export function surfaceModelFor(options: ReconstructOptions): SurfaceModel {
  if (options.shape === 'facemesh') return faceMeshSurfaceModel();
  return headSurfaceModel(options.faceModel ?? options.assets?.headModel);
}

/** Camera, pose and shape fitted to the landmarks. */
export function fitStage(
  ctx: KernelContext,
  landmarks: Landmarks,
  image: { width: number; height: number },
  options: ReconstructOptions,
  run: StageRunner,
): Promise<PosedSurface> {
  return surfaceModelFor(options).fit(ctx, landmarks, image, (f, m) => run.report(f, m));
}
