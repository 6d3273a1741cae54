import { KernelContext } from '@avatarme/kernels';
import {
  FaceModels,
  decodeImage,
  detectFaces,
  faceLandmarks,
  uploadFaceImage,
  type DetectOptions,
} from '@avatarme/pipeline';

export interface LandmarkFace {
  box: [number, number, number, number];
  score: number;
  landmarks: [number, number, number][];
}

const report = (value: unknown) =>
  (globalThis as { __avatarmeEvent?: (v: unknown) => void }).__avatarmeEvent?.(value);

/** FaceMesh presence below this means the detector's box held no face after all. */
const MIN_PRESENCE = 0.5;

/** Detection + 468 landmarks for every face in a photo, largest first, in image pixels. */
export async function landmarksOfImage(
  device: GPUDevice,
  args: { bytes: Uint8Array; name: string; detect?: DetectOptions },
): Promise<{ width: number; height: number; faces: LandmarkFace[] }> {
  report({ stage: 'detect', fraction: 0, message: `decoding ${args.name}, loading BlazeFace` });
  const image = await decodeImage(args.bytes, args.name);
  const ctx = new KernelContext(device);
  const models = new FaceModels(ctx);
  const photo = uploadFaceImage(ctx, image);
  try {
    const faces: LandmarkFace[] = [];
    const found = await detectFaces(models, photo, args.detect);
    for (const [i, face] of found.entries()) {
      report({
        stage: 'landmarks',
        fraction: i / found.length,
        message: `FaceMesh on face ${i + 1}/${found.length}`,
      });
      const mesh = await faceLandmarks(models, photo, face);
      if (mesh.presence < MIN_PRESENCE) continue;
      faces.push({ box: face.box, score: face.score, landmarks: mesh.landmarks });
    }
    return { width: image.width, height: image.height, faces };
  } finally {
    photo.tensor.dispose();
    await models.dispose();
    ctx.dispose();
  }
}
