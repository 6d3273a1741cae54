import type { Progress, ReconstructOptions, Stage } from '../reconstruct/types.ts';

/** Stage bookkeeping: progress events, cancellation between steps, and timings for the report. */
export class StageRunner {
  readonly timings: Partial<Record<Stage, number>> = {};
  private current: Stage | undefined;
  private started = 0;

  constructor(private options: Pick<ReconstructOptions, 'signal' | 'onProgress'>) {}

  begin(stage: Stage, message: string): void {
    this.end();
    this.current = stage;
    this.started = performance.now();
    this.report(0, message);
  }

  /** Reports progress inside the current stage and stops here if the run was cancelled. */
  report(fraction: number, message: string): void {
    this.options.signal?.throwIfAborted();
    if (this.current)
      this.options.onProgress?.({ stage: this.current, fraction, message } satisfies Progress);
  }

  end(): void {
    if (!this.current) return;
    this.options.signal?.throwIfAborted();
    this.timings[this.current] = Math.round(performance.now() - this.started);
    this.options.onProgress?.({ stage: this.current, fraction: 1, message: 'done' });
    this.current = undefined;
  }
}
