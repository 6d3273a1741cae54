import { createProgramsAhead, resetCompileTierWork, type ProgramSource } from '@avatarme/kernels';

/** Called by the kept browser before each run on its long-lived device (kept-browser/daemon.ts). */
export function beginRun(device: GPUDevice): void {
  resetCompileTierWork(device);
}

/**
 * Starts creating a recorded run's pipelines and returns at once: they compile while the first run
 * goes on, each of its stages waiting for its own (StageRunner.begin).
 */
export function startPipelinesAhead(device: GPUDevice, { sources }: { sources: ProgramSource[] }): number {
  void createProgramsAhead(device, sources);
  return sources.length;
}
