import { readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CliError } from './errors.ts';

const WILDCARD = /[*?]/;

/**
 * Photos named on the command line, with `*` and `?` in the file name expanded within its folder
 * (for a quoted pattern, or a shell that does not expand it), sorted; a pattern matching nothing is an
 * error naming it. Folders in the pattern are taken literally.
 */
export function expandInputs(args: readonly string[]): string[] {
  return args.flatMap((arg) => {
    const name = basename(arg);
    if (!WILDCARD.test(name)) return [arg];
    const dir = dirname(arg);
    const pattern = new RegExp(
      `^${name
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.')}$`,
    );
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch (e) {
      throw new CliError(`${arg}: cannot read folder ${dir} (${(e as NodeJS.ErrnoException).code})`);
    }
    const matches = entries.filter((e) => pattern.test(e) && !e.startsWith('.')).sort();
    if (!matches.length) throw new CliError(`${arg}: no file matches`);
    return matches.map((m) => (arg.includes('/') ? join(dir, m) : m));
  });
}
