/** A failure to report as one line, with the exit code of the CLI contract (1 bad input/failure, 2 no face). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}
