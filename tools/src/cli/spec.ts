import { CliError } from './errors.ts';

/**
 * One table per command describes its arguments; the same table drives parsing, validation, `--help`
 * and the README's command reference, so none of them can drift from the others.
 *
 * The parser is ours rather than node:util's parseArgs: that one has no integer type, takes the last
 * of a repeated option silently, and answers `--ngf -1` with a three-line "ambiguous" error instead of
 * the range; commander or yargs would bring their own help format and a dependency for ~100 lines.
 */
export interface OptionSpec {
  type: 'string' | 'int' | 'boolean';
  description: string;
  /** Placeholder in the usage line, e.g. `<dir>` (booleans have none). */
  value?: string;
  required?: boolean;
  /** Applied when the option is absent, and shown in help. */
  default?: string | number;
  /** What help says when the default is computed, e.g. `from the adapter`. */
  defaultText?: string;
  choices?: readonly (string | number)[];
  /** Inclusive bounds for `int`. */
  min?: number;
  max?: number;
}

export interface CommandSpec {
  name: string;
  summary: string;
  /** Positional arguments, e.g. `<image>`; `many` allows several (batch). */
  positional?: { name: string; description: string; many?: boolean };
  options: Record<string, OptionSpec>;
  examples: string[];
}

type ValueOf<O> = O extends { type: 'boolean' }
  ? boolean
  : O extends { choices: readonly (infer C)[] }
    ? C
    : O extends { type: 'int' }
      ? number
      : string;
export type OptionValues<Os> = {
  [K in keyof Os]: Os[K] extends { type: 'boolean' }
    ? boolean
    : Os[K] extends { default: string | number } | { required: true }
      ? ValueOf<Os[K]>
      : ValueOf<Os[K]> | undefined;
};

export type Parsed<S extends CommandSpec> =
  { help: true } | { help: false; positional: string[]; options: OptionValues<S['options']> };

/** Options every command understands; they are listed last in help. */
export const COMMON_OPTIONS = {
  help: { type: 'boolean', description: 'print this help and exit' },
} as const satisfies Record<string, OptionSpec>;

/** The one-line synopsis: positionals, required options, then `[options]`. */
export function synopsis(spec: CommandSpec): string {
  const parts = [`avatarme ${spec.name}`];
  if (spec.positional) parts.push(spec.positional.name + (spec.positional.many ? '...' : ''));
  for (const [name, o] of Object.entries(spec.options))
    if (o.required) parts.push(`--${name} ${o.value ?? ''}`.trim());
  parts.push('[options]');
  return parts.join(' ');
}

const isInt = (s: string) => /^-?\d+$/.test(s);

function intMessage(o: OptionSpec): string {
  if (o.choices) return `expected one of ${o.choices.join(', ')}`;
  if (o.min !== undefined && o.max !== undefined) return `expected an integer from ${o.min} to ${o.max}`;
  if (o.min === 1) return 'expected a positive integer';
  if (o.min !== undefined) return `expected an integer ≥ ${o.min}`;
  return 'expected an integer';
}

/** Checks one option's text against its table row and converts it. */
export function optionValue(name: string, o: OptionSpec, text: string): string | number {
  if (o.type === 'int') {
    const n = Number(text);
    const ok =
      isInt(text) &&
      Number.isSafeInteger(n) &&
      (o.min === undefined || n >= o.min) &&
      (o.max === undefined || n <= o.max) &&
      (!o.choices || o.choices.includes(n));
    if (!ok) throw new CliError(`--${name} ${text}: ${intMessage(o)}`);
    return n;
  }
  if (o.choices && !o.choices.includes(text))
    throw new CliError(`--${name} ${text}: expected one of ${o.choices.join(', ')}`);
  if (text === '') throw new CliError(`--${name} needs a value`);
  return text;
}

/**
 * Parses `argv` strictly by the command's table: `--name value`, `--name=value`, booleans without a
 * value, `-h`/`--help`, `--` ending the options. Unknown options, repeated options, malformed numbers,
 * values out of range, missing or extra positionals: a CliError of one line naming the argument.
 */
export function parseCommandLine<S extends CommandSpec>(spec: S, argv: readonly string[]): Parsed<S> {
  const options = { ...spec.options, ...COMMON_OPTIONS } as Record<string, OptionSpec>;
  const positional: string[] = [];
  const texts = new Map<string, string | true>();
  const hint = `avatarme ${spec.name} --help lists every option`;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (a === '-h') {
      texts.set('help', true);
      continue;
    }
    if (!a.startsWith('-') || a === '-') {
      positional.push(a);
      continue;
    }
    if (!a.startsWith('--')) throw new CliError(`unknown option ${a} (${hint})`);
    const eq = a.indexOf('=');
    const name = a.slice(2, eq < 0 ? undefined : eq);
    const o = options[name];
    if (!o) throw new CliError(`unknown option --${name} (${hint})`);
    if (texts.has(name)) throw new CliError(`--${name} is given twice`);
    if (o.type === 'boolean') {
      if (eq >= 0) throw new CliError(`--${name} takes no value`);
      texts.set(name, true);
      continue;
    }
    const value = eq >= 0 ? a.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new CliError(`--${name} needs a value ${o.value ?? ''}`.trim());
    texts.set(name, value);
  }
  if (texts.has('help')) return { help: true };

  const values: Record<string, unknown> = {};
  for (const [name, o] of Object.entries(spec.options)) {
    const text = texts.get(name);
    if (o.type === 'boolean') values[name] = text === true;
    else if (typeof text === 'string') values[name] = optionValue(name, o, text);
    else if (o.required) throw new CliError(`usage: ${synopsis(spec)} (missing --${name})`);
    else values[name] = o.default;
  }
  const p = spec.positional;
  if (p && positional.length === 0) throw new CliError(`usage: ${synopsis(spec)} (missing ${p.name})`);
  const allowed = p ? (p.many ? Infinity : 1) : 0;
  if (positional.length > allowed) {
    const extra = positional[allowed];
    throw new CliError(
      `unexpected argument "${extra}" (${spec.name} takes ${p ? `one ${p.name}` : 'no positional argument'}; ${hint})`,
    );
  }
  return { help: false, positional, options: values as OptionValues<S['options']> };
}

/** Options of every command that writes files. */
export const OUTPUT_OPTIONS = {
  force: {
    type: 'boolean',
    description: "replace existing outputs (and remove this command's stale files beside them)",
  },
  json: { type: 'boolean', description: 'print one JSON summary on stdout (other lines go to stderr)' },
  quiet: { type: 'boolean', description: 'no progress and no report lines; errors only' },
} as const satisfies Record<string, OptionSpec>;
