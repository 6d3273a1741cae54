// A deep subpath: the Node side must not load the pipeline's GPU modules.
import { checkPhotoSize } from '@avatarme/pipeline/reconstruct/photo.ts';
import { CliError } from './errors.ts';
import { readImageFile } from './files.ts';
import { imageSize } from './image-size.ts';

/**
 * A photo for face work, read and checked before the browser starts: a complete image file, and,
 * when its header states the size, within the pipeline's photo limits.
 */
export function readPhoto(path: string): { bytes: Uint8Array } {
  const { bytes, format } = readImageFile(path);
  const size = imageSize(bytes, format);
  if (size) {
    try {
      checkPhotoSize(size.width, size.height, path);
    } catch (e) {
      throw new CliError((e as Error).message);
    }
  }
  return { bytes };
}
