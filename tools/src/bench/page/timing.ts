// Page side of the benchmark: the timing loop every subject uses.
import { setCompileTierPolicy } from '@avatarme/kernels';

export interface TimingRequest<A = unknown> {
  args: A;
  warmup: number;
  runs: number;
}

export interface TimingResult {
  /** Wall time of each timed run, milliseconds. */
  ms: number[];
}

/** What a case's page module exports per subject. */
export type PageBenchFn<A = unknown> = (device: GPUDevice, req: TimingRequest<A>) => Promise<TimingResult>;

/**
 * Runs `step` warmup + runs times; `step` must record the work, submit it and resolve when the
 * queue has finished it (onSubmittedWorkDone), so a run's time is the GPU's time to completion plus
 * the submission overhead, the same for every subject. Warm-up runs absorb pipeline compilation.
 */
export async function timeRuns(req: TimingRequest, step: () => Promise<void>): Promise<TimingResult> {
  for (let i = 0; i < req.warmup; i++) await step();
  const ms: number[] = [];
  for (let i = 0; i < req.runs; i++) {
    const t0 = performance.now();
    await step();
    ms.push(performance.now() - t0);
  }
  return { ms };
}

/**
 * Warm rows time steady-state throughput: every kernel takes its fastest-running specialisation from
 * the first run, so no timed run pays a switch of compile tier. Cold rows (a fresh page) keep the
 * adaptive policy a user's first run gets.
 */
export async function steadyStateTier(device: GPUDevice): Promise<void> {
  setCompileTierPolicy(device, 'heavy');
}
