import { binary } from '@avatarme/kernels';
import type { RgbaImage } from '../image/codec.ts';
import { DescriptorMemo, descriptorKey } from './descriptor-memo.ts';
import type { DetectedFace } from './detect.ts';
import type { FaceImage } from './image.ts';
import { cropRoi } from './landmarks.ts';
import type { FaceModels } from './models.ts';
import { faceRoi } from './roi.ts';

export const DESCRIPTOR_INPUT = 224;

/**
 * FaceRes embedding (1024 values, @vladmandic/human's face descriptor) of one face: the upright face
 * square (eyes level, 1.4 × the box like human's crop) at 224×224 in [0, 255]. Two photos of one person
 * give a higher descriptorSimilarity than photos of two people.
 */
export async function faceDescriptor(
  models: FaceModels,
  image: FaceImage,
  face: DetectedFace,
): Promise<Float32Array> {
  return submitDescriptor(models, await models.descriptor(), image, face);
}

/**
 * faceDescriptor with FaceRes loaded: its GPU work is submitted before this returns (only the read-back
 * is awaited), so the GPU runs it while the caller goes on with CPU work.
 */
export async function submitDescriptor(
  models: FaceModels,
  net: Awaited<ReturnType<FaceModels['descriptor']>>,
  image: FaceImage,
  face: DetectedFace,
): Promise<Float32Array> {
  const roi = faceRoi(face.box, [face.keypoints[0], face.keypoints[1]], { scale: 1.4 });
  const crop = cropRoi(image, roi, DESCRIPTOR_INPUT);
  const input = binary(models.ctx, 'mul', crop, 255);
  crop.dispose();
  const outs = net.run(input);
  input.dispose();
  const out = outs['global_pooling/Mean'];
  try {
    return await out.tensor.read();
  } finally {
    out.tensor.dispose();
  }
}

const memos = new WeakMap<GPUDevice, DescriptorMemo>();

/**
 * faceDescriptor of a photo whose pixels are `pixels` (`image` is their upload): computed once per
 * device and photo content (DescriptorMemo), so a kept page reruns FaceRes only on new photos.
 */
export async function photoDescriptor(
  models: FaceModels,
  pixels: RgbaImage,
  image: FaceImage,
  face: DetectedFace,
): Promise<Float32Array> {
  return (await startPhotoDescriptor(models, pixels, image, face)).descriptor;
}

/**
 * photoDescriptor, resolved once FaceRes' work (on a memo miss) is submitted to the GPU: the caller
 * goes on with CPU work while it runs, and awaits `descriptor` when it needs it.
 */
export async function startPhotoDescriptor(
  models: FaceModels,
  pixels: RgbaImage,
  image: FaceImage,
  face: DetectedFace,
): Promise<{ descriptor: Promise<Float32Array> }> {
  const device = models.ctx.device;
  let memo = memos.get(device);
  if (!memo) memos.set(device, (memo = new DescriptorMemo()));
  const key = await descriptorKey(models.baseUrl, pixels, face);
  const net = memo.has(key) ? undefined : await models.descriptor();
  return { descriptor: memo.get(key, () => submitDescriptor(models, net!, image, face)) };
}
