import type { RgbaImage } from '../image/codec.ts';
import type { DetectedFace } from './detect.ts';

/**
 * FaceRes descriptors of photos already seen on a device, by what determines them (the photo's pixels,
 * the face and the model folder). A page kept between runs (the CLI's kept browser) that is given the
 * same photo again reuses the photo's descriptor instead of running FaceRes on it; the values are the
 * ones the network gave the first time. Holds the last `size` photos.
 */
export class DescriptorMemo {
  private entries = new Map<string, Float32Array>();

  constructor(private readonly size = 8) {}

  /** The memoised descriptor for `key` (a copy), or `compute`'s, remembered. */
  async get(key: string, compute: () => Promise<Float32Array>): Promise<Float32Array> {
    const hit = this.entries.get(key);
    if (hit) return hit.slice();
    const value = await compute();
    this.entries.set(key, value.slice());
    if (this.entries.size > this.size) this.entries.delete(this.entries.keys().next().value!);
    return value;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  get count(): number {
    return this.entries.size;
  }
}

/** The key of a photo's descriptor: SHA-256 of its size and pixels, with the face and the model folder. */
export async function descriptorKey(
  modelsUrl: string,
  pixels: RgbaImage,
  face: DetectedFace,
): Promise<string> {
  const digest = new Uint8Array(
    await crypto.subtle.digest('SHA-256', pixels.data as Uint8ClampedArray<ArrayBuffer>),
  );
  const hex = Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
  return JSON.stringify([modelsUrl, pixels.width, pixels.height, hex, face.box, face.keypoints]);
}
