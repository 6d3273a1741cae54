import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CliError } from './errors.ts';
import { createDirectory, removeEmpty } from './outputs.ts';

export type ImageFormat = 'png' | 'jpeg' | 'webp';

/** An input file's bytes, or a CliError naming the file and why it cannot be read. */
export function readFileOrFail(path: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(
      `${path}: cannot read file (${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code})`,
    );
  }
}

/** Reads an input image and checks it is a complete PNG or JPEG (or WebP) before any GPU work. */
export function readImageFile(path: string): { bytes: Uint8Array; format: ImageFormat } {
  const bytes = readFileOrFail(path);
  const format = sniffImage(bytes);
  if (!format) throw new CliError(`${path}: unsupported format (PNG, JPEG or WebP expected)`);
  if (format === 'jpeg' && !(bytes[bytes.length - 2] === 0xff && bytes[bytes.length - 1] === 0xd9)) {
    // Browsers decode a truncated JPEG silently, with grey where data is missing.
    throw new CliError(`${path}: truncated JPEG (no end-of-image marker)`);
  }
  if (format === 'png' && !endsWithIend(bytes)) throw new CliError(`${path}: truncated PNG (no IEND chunk)`);
  return { bytes, format };
}

export function sniffImage(b: Uint8Array): ImageFormat | undefined {
  if (b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return 'png';
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (
    b.length >= 12 &&
    String.fromCharCode(...b.subarray(0, 4)) === 'RIFF' &&
    String.fromCharCode(...b.subarray(8, 12)) === 'WEBP'
  )
    return 'webp';
  return undefined;
}

function endsWithIend(b: Uint8Array): boolean {
  const tail = String.fromCharCode(...b.subarray(Math.max(0, b.length - 12)));
  return tail.includes('IEND');
}

/** Writes via a temporary name in the same directory, then renames: readers never see half a file. */
export function writeFileAtomic(path: string, data: Uint8Array | string): void {
  const dir = dirname(path);
  const created = createDirectory(dir);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    removeEmpty(created);
    throw new CliError(`${path}: cannot write (${(e as NodeJS.ErrnoException).code})`);
  }
}
