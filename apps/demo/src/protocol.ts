import type { Progress, ReconstructionResult } from '@avatarme/pipeline/reconstruct/types.ts';

/** Main thread → worker. */
export type WorkerRequest =
  | { type: 'run'; photo: Uint8Array; name: string; uvSize: number; upscale: 1 | 2 | 4 | 8 }
  | { type: 'cancel' };

/** Worker → main thread. */
export type WorkerReply =
  | { type: 'progress'; progress: Progress }
  | { type: 'result'; result: ReconstructionResult }
  | { type: 'error'; message: string; noFace: boolean };
