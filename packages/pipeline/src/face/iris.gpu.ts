// Page half of iris.test.ts: FaceMesh and the Iris model on our kernels, on a photo or its mirror image.
import { KernelContext } from '@avatarme/kernels';
import { decodeImage } from '../image/codec.ts';
import { detectFaces } from './detect.ts';
import { uploadFaceImage } from './image.ts';
import { EYE_CORNERS, irisLandmarks } from './iris.ts';
import { faceLandmarks } from './landmarks.ts';
import { FaceModels } from './models.ts';

export async function ourIrises(
  device: GPUDevice,
  a: { bytes: Uint8Array; name: string; mirrorPhoto?: boolean; mirrorOtherEye?: boolean },
) {
  const image = await decodeImage(a.bytes, a.name);
  if (a.mirrorPhoto) {
    const row = new Uint8ClampedArray(image.width * 4);
    for (let y = 0; y < image.height; y++) {
      const line = image.data.subarray(y * image.width * 4, (y + 1) * image.width * 4);
      for (let x = 0; x < image.width; x++)
        row.set(line.subarray(4 * (image.width - 1 - x), 4 * (image.width - x)), 4 * x);
      line.set(row);
    }
  }
  const ctx = new KernelContext(device);
  const models = new FaceModels(ctx);
  const photo = uploadFaceImage(ctx, image);
  try {
    const [face] = await detectFaces(models, photo);
    const { landmarks } = await faceLandmarks(models, photo, face);
    const corners = a.mirrorOtherEye
      ? EYE_CORNERS.map((e) => ({ ...e, mirrored: !e.mirrored }))
      : EYE_CORNERS;
    const eyes = await irisLandmarks(models, photo, landmarks, corners);
    return { width: image.width, landmarks, eyes };
  } finally {
    photo.tensor.dispose();
    await models.dispose();
    ctx.dispose();
  }
}
