import { COMMON_OPTIONS, synopsis, type CommandSpec, type OptionSpec } from './spec.ts';

function placeholder(o: OptionSpec): string {
  if (o.type === 'boolean') return '';
  if (o.value) return o.value;
  if (o.choices) return o.choices.join('|');
  return o.type === 'int' ? '<N>' : '<value>';
}

/** What an option accepts and what it is when absent, e.g. `64 to 4096; default 256`. */
export function optionFacts(o: OptionSpec): string[] {
  const facts: string[] = [];
  if (o.required) facts.push('required');
  if (o.type === 'int' && !o.choices) {
    if (o.min !== undefined && o.max !== undefined) facts.push(`${o.min} to ${o.max}`);
    else if (o.min !== undefined) facts.push(`≥ ${o.min}`);
  }
  if (o.defaultText) facts.push(`default: ${o.defaultText}`);
  else if (o.default !== undefined) facts.push(`default ${o.default}`);
  return facts;
}

function rows(spec: CommandSpec): [string, string][] {
  const all: [string, OptionSpec][] = [...Object.entries(spec.options), ...Object.entries(COMMON_OPTIONS)];
  return all.map(([name, o]) => {
    const flag = name === 'help' ? '-h, --help' : `--${name} ${placeholder(o)}`.trim();
    const facts = optionFacts(o);
    return [flag, facts.length ? `${o.description} (${facts.join('; ')})` : o.description];
  });
}

const MAX_FLAG_COLUMN = 24;

/** `avatarme <command> --help`: synopsis, arguments, every option with its default, examples. */
export function commandHelp(spec: CommandSpec): string {
  const table = rows(spec);
  // A flag longer than the column (a long list of choices) gets its description on the next line.
  const fits = table.map(([f]) => f.length).filter((n) => n <= MAX_FLAG_COLUMN);
  const width = Math.max(...fits, (spec.positional?.name.length ?? 0) + 3) + 2;
  const line = (f: string, d: string) =>
    f.length + 2 > width ? `  ${f}\n  ${' '.repeat(width)}${d}` : `  ${f.padEnd(width)}${d}`;
  const lines = [`avatarme ${spec.name}: ${spec.summary}`, '', `usage: ${synopsis(spec)}`, ''];
  if (spec.positional) {
    const p = spec.positional;
    lines.push('arguments:', line(p.name + (p.many ? '...' : ''), p.description), '');
  }
  lines.push('options:', ...table.map(([f, d]) => line(f, d)), '');
  lines.push('examples:', ...spec.examples.map((e) => `  ${e}`));
  return lines.join('\n');
}

/** `avatarme --help`: the commands, one line each. */
export function overviewHelp(specs: readonly CommandSpec[], version: string): string {
  const width = Math.max(...specs.map((s) => s.name.length)) + 2;
  return [
    `avatarme ${version}: photorealistic 3D faces from a single photo, computed on WebGPU`,
    '',
    'usage: avatarme <command> [arguments] [options]',
    '',
    'commands:',
    ...specs.map((s) => `  ${s.name.padEnd(width)}${s.summary}`),
    '',
    'avatarme help <command>    every option of a command, its default and an example',
    'avatarme --version         the version',
    '',
    'Exit codes: 0 success, 1 bad input or failure (one line on stderr saying why), 2 no face found.',
  ].join('\n');
}

const cell = (s: string) => s.replace(/\|/g, '\\|');

/** The README's command reference, generated from the same tables (a test keeps the README in step). */
export function markdownReference(specs: readonly CommandSpec[]): string {
  const out: string[] = [];
  for (const spec of specs) {
    out.push(`#### \`avatarme ${spec.name}\``, spec.summary, '', '```sh', ...spec.examples, '```', '');
    const p = spec.positional;
    out.push('| argument | description |', '| --- | --- |');
    if (p) out.push(`| \`${cell(p.name + (p.many ? '...' : ''))}\` | ${cell(p.description)} |`);
    for (const [flag, description] of rows(spec)) out.push(`| \`${cell(flag)}\` | ${cell(description)} |`);
    out.push('');
  }
  return out.join('\n').trimEnd();
}
