import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { ProgramSource } from '@avatarme/kernels';

/** The pipelines a built page has created, recorded in the cache folder for a later start to create ahead. */
export function programsFile(cacheDir: string, bundleDir: string, name: string): string {
  return join(cacheDir, `programs-${basename(bundleDir).replace(/^page-/, '')}-${name}.json`);
}

/** The recorded list, or none when there is no file or it does not parse (a later run records again). */
export function readPrograms(file: string): ProgramSource[] {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as ProgramSource[];
  } catch {
    return [];
  }
}

/** Written whole and renamed into place: a reader never sees half a list. */
export function writePrograms(file: string, sources: ProgramSource[]): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(sources));
  renameSync(tmp, file);
}
