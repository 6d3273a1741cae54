// Page half of cases/face.ts. Both subjects start from the decoded RGBA pixels and end with the
// landmarks on the CPU, so uploads and read-backs count on both sides.
import { KernelContext } from '@avatarme/kernels';
import {
  FaceModels,
  decodeImage,
  detectFaces,
  faceLandmarks,
  uploadFaceImage,
  type RgbaImage,
} from '@avatarme/pipeline';
import { humanFaceMeshConfig } from '@avatarme/pipeline/face/human-reference.ts';
import Human from '@vladmandic/human';
import { timeRuns, type PageBenchFn } from '../page/timing.ts';

interface FaceArgs {
  photo: string;
}

async function photo(url: string): Promise<RgbaImage> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`bench: ${url}: HTTP ${res.status}`);
  return decodeImage(new Uint8Array(await res.arrayBuffer()), url);
}

export const faceOurs: PageBenchFn<FaceArgs> = async (device, req) => {
  const image = await photo(req.args.photo);
  const ctx = new KernelContext(device);
  const models = new FaceModels(ctx);
  try {
    return await timeRuns(req, async () => {
      const p = uploadFaceImage(ctx, image);
      const faces = await detectFaces(models, p);
      if (faces.length !== 1) throw new Error(`bench: ours found ${faces.length} faces, expected 1`);
      await faceLandmarks(models, p, faces[0]);
      p.tensor.dispose();
    });
  } finally {
    await models.dispose();
    ctx.dispose();
  }
};

export const faceHuman: PageBenchFn<FaceArgs> = async (_device, req) => {
  const image = await photo(req.args.photo);
  const human = new Human(
    humanFaceMeshConfig({
      backend: 'webgpu',
      modelBasePath: '/node_modules/@vladmandic/human/models/',
      // Every run must do the whole work: no reuse of the previous frame's boxes.
      cacheSensitivity: 0,
    }),
  );
  await human.load();
  if (human.tf.getBackend() !== 'webgpu')
    throw new Error(`bench: human runs on ${human.tf.getBackend()}, not webgpu`);
  const data = new ImageData(new Uint8ClampedArray(image.data), image.width, image.height);
  return timeRuns(req, async () => {
    const res = await human.detect(data);
    if (res.face.length !== 1) throw new Error(`bench: human found ${res.face.length} faces, expected 1`);
  });
};
