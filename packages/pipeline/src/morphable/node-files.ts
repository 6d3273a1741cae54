// Node-only: kept out of index.ts so the browser bundle never imports node:fs.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MorphableModelError } from './errors.ts';
import type { ModelFileReader } from './load.ts';

/** A ModelFileReader over a folder on disk. */
export function nodeModelReader(dir: string): ModelFileReader {
  return async (name) => {
    const path = join(dir, name);
    try {
      const b = await readFile(path);
      return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new MorphableModelError(
        `${path}: ${code === 'ENOENT' ? 'missing file' : `cannot read (${code})`}`,
      );
    }
  };
}
