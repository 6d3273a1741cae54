import { commandHelp } from './help.ts';
import { ProgressReporter } from './progress.ts';
import { parseCommandLine, type CommandSpec, type OptionValues } from './spec.ts';

/** What a command's work reports; `exitCode` becomes the process's. */
export interface Outcome {
  status: 'ok' | 'no-face' | 'error';
  exitCode: number;
  [key: string]: unknown;
}

/** The outcome with the command's name: `--json` prints it as one object on stdout. */
export type Summary = Outcome & { command: string };

/** Where a command writes: human lines go to stdout, or to stderr when stdout carries the JSON. */
export interface CommandIo {
  info(line: string): void;
  /** A failure that does not end the command (one photo of a batch). */
  error(line: string): void;
  progress: ProgressReporter;
  json: boolean;
}

/** Human lines on stdout (stderr under --json), none under --quiet; errors always on stderr. */
export const consoleIo = ({ json = false, quiet = false } = {}): CommandIo => ({
  info: (line) => {
    if (!quiet) (json ? console.error : console.log)(line);
  },
  error: (line) => console.error(line),
  progress: new ProgressReporter(quiet ? null : process.stderr),
  json,
});

export interface Command<S extends CommandSpec = CommandSpec> {
  spec: S;
  /** Parses argv by the spec (printing help for -h/--help) and runs the command. */
  (argv: string[], io?: CommandIo): Promise<Summary | undefined>;
}

/** A command from its table and its work; parsing, validation and help come from the table. */
export function defineCommand<const S extends CommandSpec>(
  spec: S,
  run: (
    args: { positional: string[]; options: OptionValues<S['options']> },
    io: CommandIo,
  ) => Promise<Outcome>,
): Command<S> {
  const command = async (argv: string[], io?: CommandIo) => {
    const parsed = parseCommandLine(spec, argv);
    if (parsed.help) {
      console.log(commandHelp(spec));
      return undefined;
    }
    const flags = parsed.options as { json?: boolean; quiet?: boolean };
    const summary: Summary = {
      command: spec.name,
      ...(await run(parsed, io ?? consoleIo({ json: flags.json, quiet: flags.quiet }))),
    };
    return summary;
  };
  return Object.assign(command, { spec });
}
