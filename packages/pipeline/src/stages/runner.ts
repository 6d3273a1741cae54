import { programsReady, setProgramPhase } from '@avatarme/kernels';
import type { Progress, ReconstructOptions, Stage } from '../reconstruct/types.ts';

/**
 * Stage bookkeeping: progress events, cancellation between steps, timings for the report, and the
 * device's pipelines by stage (a kept browser creates a recorded run's pipelines ahead of use).
 */
export class StageRunner {
  readonly timings: Partial<Record<Stage, number>> = {};
  private current: Stage | undefined;
  private started = 0;

  constructor(
    private options: Pick<ReconstructOptions, 'signal' | 'onProgress'>,
    private device?: GPUDevice,
  ) {}

  /**
   * Starts a stage; resolves once the pipelines created ahead of use for it are made (at once when
   * none are pending), so that its own first uses find them instead of compiling them again.
   */
  async begin(stage: Stage, message: string): Promise<void> {
    this.end();
    this.current = stage;
    this.started = performance.now();
    this.report(0, message);
    if (!this.device) return;
    setProgramPhase(this.device, stage);
    await programsReady(this.device, stage);
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
