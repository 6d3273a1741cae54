export interface ProgressUpdate {
  stage: string;
  /** 0..1 within the stage. */
  fraction: number;
  message: string;
}

type ProgressStream = { write(s: string): unknown; isTTY?: boolean; columns?: number };

const seconds = (ms: number) => `${Math.round(ms / 1000)} s`;

/**
 * Progress of a long job on stderr, with the time since the job started and, within a stage, an
 * estimate of what is left (from the stage's own pace): a live bar on a terminal, plain lines
 * otherwise.
 */
export class ProgressReporter {
  private stage = '';
  private lastLine = '';
  private lastQuarter = -1;
  private readonly tty: boolean;
  private readonly t0: number;
  private stageT0 = 0;

  constructor(
    /** null: report nothing (--quiet). */
    private stream: ProgressStream | null = process.stderr,
    private now: () => number = () => performance.now(),
  ) {
    this.tty = !!stream?.isTTY;
    this.t0 = now();
  }

  /** `12 s`, or `12 s, ~30 s left in detect` once the stage's pace says something. */
  timing(fraction: number): string {
    const t = this.now();
    const inStage = t - this.stageT0;
    const elapsed = seconds(t - this.t0);
    if (fraction < 0.05 || fraction >= 1 || inStage < 1000) return elapsed;
    return `${elapsed}, ~${seconds((inStage * (1 - fraction)) / fraction)} left in ${this.stage}`;
  }

  update(p: ProgressUpdate): void {
    if (p.stage !== this.stage) this.stageT0 = this.now();
    const previous = this.stage;
    this.stage = p.stage;
    if (!this.stream) return;
    const f = Math.min(Math.max(p.fraction, 0), 1);
    const pct = Math.round(f * 100);
    const timing = this.timing(f);
    if (this.tty) {
      const width = 24;
      const filled = Math.round((pct / 100) * width);
      const line = `${p.stage.padEnd(12)} ${'█'.repeat(filled)}${'░'.repeat(width - filled)} ${String(pct).padStart(3)}%  ${p.message} (${timing})`;
      const columns = this.stream.columns ?? 100;
      if (p.stage !== previous && previous) this.stream.write('\n');
      this.stream.write(
        `\r${line.slice(0, columns - 1).padEnd(Math.min(this.lastLine.length, columns - 1))}`,
      );
      this.lastLine = line;
    } else if (p.stage !== previous || Math.floor(pct / 25) !== this.lastQuarter) {
      // Plain lines: one when a stage starts, then at each quarter.
      this.stream.write(`${p.stage}: ${pct}% ${p.message} (${timing})\n`);
      this.lastQuarter = Math.floor(pct / 25);
    }
  }

  done(): void {
    if (this.tty && this.stage) this.stream?.write('\n');
    this.stage = '';
  }
}
