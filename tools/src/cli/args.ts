import { CliError } from './errors.ts';

export interface ParsedArgs {
  positional: string[];
  flags: Map<string, string>;
}

/** `--name value` and `--name=value` flags; `known` lists the flags a command accepts. */
export function parseArgs(argv: string[], known: readonly string[]): ParsedArgs {
  const positional: string[] = [];
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = a.slice(2, eq < 0 ? undefined : eq);
    if (!known.includes(name))
      throw new CliError(`unknown option --${name} (accepted: ${known.map((k) => `--${k}`).join(', ')})`);
    const value = eq >= 0 ? a.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new CliError(`--${name} needs a value`);
    flags.set(name, value);
  }
  return { positional, flags };
}

export function intFlag(
  args: ParsedArgs,
  name: string,
  dflt: number | undefined,
  allowed?: readonly number[],
): number | undefined {
  const v = args.flags.get(name);
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new CliError(`--${name} ${v}: expected a positive integer`);
  if (allowed && !allowed.includes(n))
    throw new CliError(`--${name} ${v}: expected one of ${allowed.join(', ')}`);
  return n;
}
