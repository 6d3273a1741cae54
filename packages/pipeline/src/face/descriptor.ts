import { binary } from '@avatarme/kernels';
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
  const net = await models.descriptor();
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
