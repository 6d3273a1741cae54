import { readFileSync } from 'node:fs';
import type { Summary } from './command.ts';
import { COMMANDS } from './commands/index.ts';
import { CliError } from './errors.ts';
import { commandHelp, markdownReference, overviewHelp } from './help.ts';

export const VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

const specs = () => COMMANDS.map((c) => c.spec);
const find = (name: string) => COMMANDS.find((c) => c.spec.name === name);
const unknown = (name: string) =>
  `unknown command "${name}" (commands: ${specs()
    .map((s) => s.name)
    .join(', ')}; avatarme --help)`;

/** `avatarme help [command]`; `--markdown` prints the README's command reference. */
function help(args: string[]): number {
  if (args.length === 1 && args[0] === '--markdown') {
    console.log(markdownReference(specs()));
    return 0;
  }
  if (args.length === 0 || (args.length === 1 && (args[0] === '--help' || args[0] === '-h'))) {
    console.log(overviewHelp(specs(), VERSION));
    return 0;
  }
  const cmd = args.length === 1 ? find(args[0]) : undefined;
  if (!cmd) {
    console.error(`avatarme help: ${args.length === 1 ? unknown(args[0]) : 'expected one command name'}`);
    return 1;
  }
  console.log(commandHelp(cmd.spec));
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    console.error(overviewHelp(specs(), VERSION));
    return 1;
  }
  if (name === '--help' || name === '-h') return help([]);
  if (name === 'help') return help(rest);
  if (name === '--version') {
    console.log(`avatarme ${VERSION}`);
    return 0;
  }
  const cmd = find(name);
  if (!cmd) {
    console.error(`avatarme: ${unknown(name)}`);
    return 1;
  }
  const end = rest.indexOf('--');
  const json = (end < 0 ? rest : rest.slice(0, end)).includes('--json');
  let summary: Summary | undefined;
  try {
    summary = await cmd(rest);
  } catch (e) {
    const err = e as Error;
    const exitCode = e instanceof CliError ? e.exitCode : 1;
    // One line: the reason, never a stack trace.
    const message = err.message.split('\n')[0];
    summary = {
      command: name,
      status: exitCode === 2 ? 'no-face' : 'error',
      exitCode,
      error: message,
    };
    if (process.env.AVATARME_DEBUG) console.error(err.stack);
  }
  if (!summary) return 0;
  if (summary.exitCode !== 0 && typeof summary.error === 'string')
    console.error(`avatarme ${name}: ${summary.error}`);
  if (json) console.log(JSON.stringify(summary));
  return summary.exitCode;
}

process.exitCode = await main(process.argv.slice(2));
