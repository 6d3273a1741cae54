import type { Progress, ReconstructionResult } from '@avatarme/pipeline/reconstruct/types.ts';

/** Main thread → worker. */
export type WorkerRequest =
  | {
      type: 'run';
      photo: Uint8Array;
      name: string;
      uvSize: number;
      upscale: 1 | 2 | 4 | 8;
      /** Absolute URL of the site's models/ folder (a worker's relative URLs resolve against its script). */
      modelBaseUrl: string;
      /** The files of a head model folder the visitor picked (model.json and what it names). */
      faceModel?: File[];
    }
  | { type: 'cancel' };

/** Worker → main thread. */
export type WorkerReply =
  | { type: 'progress'; progress: Progress }
  | { type: 'result'; result: ReconstructionResult }
  | { type: 'cancelled' }
  | { type: 'error'; message: string; noFace: boolean };
