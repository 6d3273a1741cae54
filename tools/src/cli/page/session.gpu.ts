import {
  createProgramsAhead,
  resetCompileTierWork,
  setProgramPhase,
  type ProgramSource,
} from '@avatarme/kernels';

/** Called by the kept browser before each run on its long-lived device (kept-browser/daemon.ts). */
export function beginRun(device: GPUDevice): void {
  resetCompileTierWork(device);
  // A command without stages records its pipelines under none, not under the last run's last stage.
  setProgramPhase(device, undefined);
}

/**
 * Starts creating a recorded run's pipelines and returns at once: they compile while the first run
 * goes on, each of its stages waiting for its own (StageRunner.begin).
 */
export function startPipelinesAhead(device: GPUDevice, { sources }: { sources: ProgramSource[] }): number {
  void createProgramsAhead(device, sources);
  return sources.length;
}
