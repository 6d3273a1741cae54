import { KernelContext, type Tensor } from '@avatarme/kernels';
import { uploadFaceImage } from '../face/index.ts';
import { decodeImage } from '../image/codec.ts';
import { headSurfaceModel } from '../surface/head.ts';
import type { PosedSurface } from '../surface/surface.ts';

/** A photo, the landmarks to fit the ICT head to, and the unwrap size the caller will use. */
export interface PhotoHeadInput {
  bytes: Uint8Array;
  name: string;
  modelUrl: string;
  uvSize: number;
  landmarks: [number, number, number][];
}

/** The photo on the GPU and the head fitted to it, on a context of their own. */
export interface PhotoHead {
  ctx: KernelContext;
  photo: Tensor;
  surface: PosedSurface;
}

/**
 * Fits the head to the given landmarks as the product does (its upper teeth placed on the photo's, the
 * eyes as fitted: no irises) and hands `use` the posed surface with the photo on a fresh
 * KernelContext, released afterwards: the set-up of the pages that study one stage on a real photo
 * (the seam, completion and intermediate-map figures) without running detection again.
 */
export async function withPhotoHead<T>(
  device: GPUDevice,
  a: PhotoHeadInput,
  use: (head: PhotoHead) => Promise<T>,
): Promise<T> {
  const image = await decodeImage(a.bytes, a.name);
  const ctx = new KernelContext(device);
  const photo = uploadFaceImage(ctx, image);
  try {
    const surface = await headSurfaceModel(a.modelUrl).fit(ctx, a.landmarks, image, undefined, photo);
    return await use({ ctx, photo: photo.tensor, surface });
  } finally {
    photo.tensor.dispose();
    ctx.dispose();
  }
}
