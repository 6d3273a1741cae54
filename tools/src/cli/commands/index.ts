import type { Command } from '../command.ts';
import { filterCommand } from './filter.ts';
import { importFaceModelCommand } from './import-face-model.ts';
import { landmarksCommand } from './landmarks.ts';
import { randomWeightsCommand } from './random-weights.ts';
import { reconstructCommand } from './reconstruct.ts';
import { upscaleCommand } from './upscale.ts';

/** Every command, in the order help and the README list them. */
export const COMMANDS: readonly Command[] = [
  reconstructCommand,
  upscaleCommand,
  landmarksCommand,
  filterCommand,
  randomWeightsCommand,
  importFaceModelCommand,
];
