// Page half of face.test.ts: our face pipeline and @vladmandic/human (its own bundled TensorFlow.js on
// the CPU backend) on the same photo.
import Human from '@vladmandic/human';
import { KernelContext } from '@avatarme/kernels';
import { decodeImage, type RgbaImage } from '../image/codec.ts';
import { faceDescriptor } from './descriptor.ts';
import { detectFaces } from './detect.ts';
import { uploadFaceImage } from './image.ts';
import { faceLandmarks } from './landmarks.ts';
import { humanFaceMeshConfig } from './human-reference.ts';
import { FaceModels, HUMAN_MODELS_URL } from './models.ts';

/** What human itself returns for the photo: box and 468 mesh points of each face, in image pixels. */
export async function humanLandmarks(_device: GPUDevice, args: { bytes: Uint8Array; name: string }) {
  const image = await decodeImage(args.bytes, args.name);
  const human = new Human(
    humanFaceMeshConfig({ backend: 'cpu', modelBasePath: HUMAN_MODELS_URL, maxDetected: 5 }),
  );
  await human.load();
  const data = new ImageData(new Uint8ClampedArray(image.data), image.width, image.height);
  const t0 = performance.now();
  const res = await human.detect(data);
  const ms = performance.now() - t0;
  return {
    backend: human.tf.getBackend(),
    ms,
    faces: res.face.map((f) => ({ box: f.box, score: f.score, mesh: f.mesh.slice(0, 468) })),
  };
}

export interface PhotoArgs {
  bytes?: Uint8Array;
  name: string;
  /** Instead of bytes: raw RGBA pixels. */
  rgba?: Uint8Array;
  width?: number;
  height?: number;
  /** Also paste the photo again at half size to its right (a second, smaller face). */
  addHalfCopy?: boolean;
  descriptors?: boolean;
}

async function photoOf(a: PhotoArgs): Promise<RgbaImage> {
  let img: RgbaImage = a.rgba
    ? { width: a.width!, height: a.height!, data: new Uint8ClampedArray(a.rgba) }
    : await decodeImage(a.bytes!, a.name);
  if (a.addHalfCopy) {
    const src = new OffscreenCanvas(img.width, img.height);
    src
      .getContext('2d')!
      .putImageData(new ImageData(img.data as Uint8ClampedArray<ArrayBuffer>, img.width, img.height), 0, 0);
    const dst = new OffscreenCanvas(img.width + img.width / 2, img.height);
    const g = dst.getContext('2d', { willReadFrequently: true })!;
    g.fillStyle = 'rgb(128, 128, 128)';
    g.fillRect(0, 0, dst.width, dst.height);
    g.drawImage(src, 0, 0);
    g.drawImage(src, img.width, img.height / 4, img.width / 2, img.height / 2);
    const d = g.getImageData(0, 0, dst.width, dst.height);
    img = { width: d.width, height: d.height, data: d.data };
  }
  return img;
}

/** Our pipeline: detection, landmarks (and descriptors) of every face. */
export async function ourLandmarks(device: GPUDevice, a: PhotoArgs & { passes?: 1 | 2 }) {
  const image = await photoOf(a);
  const ctx = new KernelContext(device);
  const models = new FaceModels(ctx);
  const photo = uploadFaceImage(ctx, image);
  try {
    const t0 = performance.now();
    const faces = await detectFaces(models, photo);
    const t1 = performance.now();
    const out = [];
    for (const f of faces) {
      const lm = await faceLandmarks(models, photo, f, { passes: a.passes });
      out.push({ ...f, landmarks: lm.landmarks, presence: lm.presence, angle: lm.roi.angle });
    }
    const t2 = performance.now();
    const descriptors = a.descriptors
      ? await Promise.all(faces.map((f) => faceDescriptor(models, photo, f)))
      : [];
    return { faces: out, descriptors, detectMs: t1 - t0, landmarksMs: t2 - t1, width: image.width };
  } finally {
    photo.tensor.dispose();
    await models.dispose();
    ctx.dispose();
  }
}

/**
 * The photo shrunk by `scale` (canvas, high-quality smoothing) into the top-left of a canvas of the
 * original size, grey elsewhere; landmarks of its largest face with one and with two FaceMesh passes.
 */
export async function smallFaceLandmarks(device: GPUDevice, a: PhotoArgs & { scale: number }) {
  const full = await photoOf(a);
  const bitmap = await createImageBitmap(
    new ImageData(new Uint8ClampedArray(full.data), full.width, full.height),
  );
  const canvas = new OffscreenCanvas(full.width, full.height);
  const g = canvas.getContext('2d')!;
  g.fillStyle = 'rgb(128,128,128)';
  g.fillRect(0, 0, full.width, full.height);
  g.imageSmoothingQuality = 'high';
  g.drawImage(bitmap, 0, 0, full.width * a.scale, full.height * a.scale);
  const small = {
    width: full.width,
    height: full.height,
    data: g.getImageData(0, 0, full.width, full.height).data,
  };
  const ctx = new KernelContext(device);
  const models = new FaceModels(ctx);
  const photo = uploadFaceImage(ctx, small);
  try {
    const [face] = await detectFaces(models, photo);
    const onePass = await faceLandmarks(models, photo, face, { passes: 1 });
    const twoPass = await faceLandmarks(models, photo, face, { passes: 2 });
    return { onePass: onePass.landmarks, twoPass: twoPass.landmarks };
  } finally {
    photo.tensor.dispose();
    await models.dispose();
    ctx.dispose();
  }
}
