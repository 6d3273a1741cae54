import { existsSync, mkdirSync, renameSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CliError } from './errors.ts';

/**
 * Writes a set of files into `dir` all or nothing: every file goes to a temporary name first, and
 * only when all of them are complete are they renamed to their final names (a rename within one
 * directory is atomic). On any failure the temporary files are removed and no final name was touched.
 */
export function writeAllAtomic(dir: string, files: Record<string, Uint8Array>): void {
  const staged: [string, string][] = [];
  // Sub-folders of `dir` a name asks for (renders/…), made here and removed again on failure.
  const made: string[] = [];
  const removeStaged = () => {
    staged.forEach(([tmp]) => rmSync(tmp, { force: true }));
    for (const d of made.reverse()) {
      try {
        rmdirSync(d);
      } catch {
        // Not empty: an earlier file of this run was renamed into it.
      }
    }
  };
  for (const [name, data] of Object.entries(files)) {
    const sub = join(dir, dirname(name));
    const tmp = join(sub, `.${basename(name)}.${process.pid}.tmp`);
    try {
      if (!existsSync(sub)) {
        mkdirSync(sub);
        made.push(sub);
      }
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
      staged.splice(0, i);
      removeStaged();
      throw new CliError(`${path}: cannot write (${(e as NodeJS.ErrnoException).code})`);
    }
  }
}
