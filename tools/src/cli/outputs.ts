import { mkdirSync, readdirSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CliError } from './errors.ts';
import { writeAllAtomic } from './write-all.ts';

const code = (e: unknown) => (e as NodeJS.ErrnoException).code ?? (e as Error).message;

function kind(path: string): 'dir' | 'file' | 'none' {
  try {
    return statSync(path).isDirectory() ? 'dir' : 'file';
  } catch {
    return 'none';
  }
}

/**
 * The directories that would have to be created for `dir` to exist, outermost first. Walks up one
 * component at a time (never a recursive mkdir: Node's loops forever on /proc/<missing>).
 */
function missingChain(dir: string): { existing: string; missing: string[] } {
  const missing: string[] = [];
  let at = resolve(dir);
  while (kind(at) === 'none') {
    missing.unshift(at);
    const up = dirname(at);
    if (up === at) break;
    at = up;
  }
  return { existing: at, missing };
}

/** Creates `dir` and its missing parents one by one; returns the ones it created, outermost first. */
export function createDirectory(dir: string): string[] {
  const { existing, missing } = missingChain(dir);
  const notWritable = (e: unknown) => new CliError(`${dir}: output directory is not writable (${code(e)})`);
  if (kind(existing) !== 'dir') throw notWritable({ code: 'ENOTDIR' });
  const created: string[] = [];
  try {
    for (const d of missing) {
      mkdirSync(d);
      created.push(d);
    }
  } catch (e) {
    removeEmpty(created);
    throw notWritable(e);
  }
  return created;
}

/** Removes the directories a failed run created, innermost first, as long as they are empty. */
export function removeEmpty(created: readonly string[]): void {
  for (const d of [...created].reverse()) {
    try {
      rmdirSync(d);
    } catch {
      return;
    }
  }
}

/**
 * Before any work: `dir` exists as a writable directory or can be created (tried, then undone), so an
 * unwritable --out fails in milliseconds, not after the GPU work; nothing is left behind.
 */
export function checkWritableDirectory(dir: string): void {
  const created = createDirectory(dir);
  const probe = join(dir, `.avatarme-probe-${process.pid}`);
  try {
    writeFileSync(probe, '');
    rmSync(probe);
  } catch (e) {
    throw new CliError(`${dir}: output directory is not writable (${code(e)})`);
  } finally {
    removeEmpty(created);
  }
}

const FORCE_HINT = 'pass --force to replace';

/**
 * The overwrite policy for a directory of outputs: it must be writable, and without `force` empty
 * (or absent). Checked before the work starts.
 */
export function checkOutputDirectory(dir: string, force: boolean): void {
  const k = kind(dir);
  if (k === 'file') throw new CliError(`${dir}: output directory is not writable (ENOTDIR)`);
  if (k === 'dir' && !force) {
    const entries = readdirSync(dir).sort();
    if (entries.length)
      throw new CliError(
        `${join(dir, entries[0])}: already exists${entries.length > 1 ? ` (with ${entries.length - 1} more in ${dir})` : ''}; ${FORCE_HINT} avatarme's files in ${dir}`,
      );
  }
  checkWritableDirectory(dir);
}

/** The overwrite policy for a single output file: a writable place, and without `force` no file there. */
export function checkOutputFile(path: string, force: boolean): void {
  const k = kind(path);
  if (k === 'dir') throw new CliError(`${path}: is a directory (expected a file name)`);
  if (k === 'file' && !force) throw new CliError(`${path}: already exists; ${FORCE_HINT} it`);
  checkWritableDirectory(dirname(path));
}

/**
 * Writes a command's files into `dir` all or nothing (each under a temporary name, renamed when all
 * are complete), then removes the files of ours (`owned`; a name ending in / owns its sub-folder's
 * files) that this run did not write, so no stale output stays beside the new ones. Directories created here are removed again when writing fails.
 */
export function writeOutputDirectory(
  dir: string,
  files: Record<string, Uint8Array>,
  owned: readonly string[] = [],
): void {
  const created = createDirectory(dir);
  try {
    writeAllAtomic(dir, files);
  } catch (e) {
    removeEmpty(created);
    throw e;
  }
  for (const name of owned) {
    // A name ending in / owns every file in that sub-folder.
    const names = name.endsWith('/')
      ? kind(join(dir, name)) === 'dir'
        ? readdirSync(join(dir, name)).map((f) => name + f)
        : []
      : [name];
    for (const n of names) if (!(n in files) && kind(join(dir, n)) === 'file') rmSync(join(dir, n));
  }
}
