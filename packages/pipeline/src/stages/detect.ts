import type { KernelContext } from '@avatarme/kernels';
import { detectFaces, FaceModels, NoFaceError, uploadFaceImage, type DetectedFace } from '../face/index.ts';
import type { FaceImage } from '../face/image.ts';
import type { RgbaImage } from '../image/codec.ts';
import { loadPhoto } from '../reconstruct/photo.ts';
import type { ReconstructOptions } from '../reconstruct/types.ts';
import type { StageRunner } from './runner.ts';

export interface Detection {
  /** The working copy (at most WORKING_SIDE a side) and the encoded size. */
  image: RgbaImage & { sourceWidth: number; sourceHeight: number };
  /** The working copy on the GPU, RGB in [0, 1]. */
  photo: FaceImage;
  models: FaceModels;
  /** Faces by decreasing size; the first is reconstructed. */
  faces: DetectedFace[];
  dispose(): Promise<void>;
}

/** Decodes the photo, uploads it and finds the faces (BlazeFace); no face → NoFaceError. */
export async function detectStage(
  ctx: KernelContext,
  input: Uint8Array | RgbaImage,
  options: ReconstructOptions,
  run: StageRunner,
): Promise<Detection> {
  const name = options.name ?? 'image';
  const image = await loadPhoto(input, name);
  const models = new FaceModels(ctx, options.assets?.humanModels);
  const photo = uploadFaceImage(ctx, image);
  const dispose = async () => {
    photo.tensor.dispose();
    await models.dispose();
  };
  try {
    run.report(0.3, 'finding faces');
    const faces = await detectFaces(models, photo);
    if (!faces.length) throw new NoFaceError(name);
    return { image, photo, models, faces, dispose };
  } catch (e) {
    await dispose();
    throw e;
  }
}
