/** Progress of a long job on stderr: a live bar per stage on a terminal, plain lines otherwise. */
export class ProgressReporter {
  private stage = '';
  private lastLine = '';
  private lastQuarter = -1;
  private readonly tty: boolean;

  constructor(private stream: NodeJS.WriteStream = process.stderr) {
    this.tty = !!stream.isTTY;
  }

  update(p: { stage: string; fraction: number; message: string }): void {
    const pct = Math.round(Math.min(Math.max(p.fraction, 0), 1) * 100);
    if (this.tty) {
      const width = 24;
      const filled = Math.round((pct / 100) * width);
      const line = `${p.stage.padEnd(12)} ${'█'.repeat(filled)}${'░'.repeat(width - filled)} ${String(pct).padStart(3)}%  ${p.message}`;
      const columns = this.stream.columns ?? 100;
      if (p.stage !== this.stage && this.stage) this.stream.write('\n');
      this.stream.write(
        `\r${line.slice(0, columns - 1).padEnd(Math.min(this.lastLine.length, columns - 1))}`,
      );
      this.lastLine = line;
    } else {
      // Plain lines: one when a stage starts, then at each quarter.
      const quarter = Math.floor(pct / 25);
      if (p.stage !== this.stage || quarter !== this.lastQuarter) {
        this.stream.write(`${p.stage}: ${pct}% ${p.message}\n`);
        this.lastQuarter = quarter;
      }
    }
    this.stage = p.stage;
  }

  done(): void {
    if (this.tty && this.stage) this.stream.write('\n');
    this.stage = '';
  }
}
