import { rgba8ToTensor, type KernelContext, type Tensor } from '@avatarme/kernels';
import type { RgbaImage } from '../image/codec.ts';

/** A photo on the GPU for the face models: [1, H, W, 3], RGB in [0, 1]. */
export interface FaceImage {
  tensor: Tensor;
  width: number;
  height: number;
}

export function uploadFaceImage(ctx: KernelContext, image: RgbaImage): FaceImage {
  return {
    tensor: rgba8ToTensor(ctx, image.data, image.width, image.height, { scale: 1 / 255 }),
    width: image.width,
    height: image.height,
  };
}
