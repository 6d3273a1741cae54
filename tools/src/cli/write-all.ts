import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CliError } from './errors.ts';

/**
 * Writes a set of files into `dir` all or nothing: every file goes to a temporary name first, and
 * only when all of them are complete are they renamed to their final names (a rename within one
 * directory is atomic). On any failure the temporary files are removed and no final name was touched.
 */
export function writeAllAtomic(dir: string, files: Record<string, Uint8Array>): void {
  const staged: [string, string][] = [];
  const removeStaged = () => staged.forEach(([tmp]) => rmSync(tmp, { force: true }));
  for (const [name, data] of Object.entries(files)) {
    const tmp = join(dir, `.${name}.${process.pid}.tmp`);
    try {
      staged.push([tmp, join(dir, name)]);
      writeFileSync(tmp, data);
    } catch (e) {
      removeStaged();
      throw new CliError(`${join(dir, name)}: cannot write (${(e as NodeJS.ErrnoException).code})`);
    }
  }
  for (const [i, [tmp, path]] of staged.entries()) {
    try {
      renameSync(tmp, path);
    } catch (e) {
      staged.slice(i).forEach(([t]) => rmSync(t, { force: true }));
      throw new CliError(`${path}: cannot write (${(e as NodeJS.ErrnoException).code})`);
    }
  }
}
