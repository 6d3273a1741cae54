import { resetCompileTierWork } from '@avatarme/kernels';

/** Called by the kept browser before each run on its long-lived device (kept-browser/daemon.ts). */
export function beginRun(device: GPUDevice): void {
  resetCompileTierWork(device);
}
