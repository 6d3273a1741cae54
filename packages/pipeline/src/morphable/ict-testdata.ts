// Test-only: where the ICT Face Model copy lives. It is third-party data that is not part of this
// repository; tests that need it fail (never skip) with this message when it is missing.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadMorphableModel } from './load.ts';
import type { MorphableModel } from './model.ts';
import { nodeModelReader } from './node-files.ts';

const REPO_ROOT = resolve(import.meta.dirname, '../../../..');
export const ICT_MODEL_DIR = resolve(REPO_ROOT, '../shared/data/ict-face-model');

export function requireIctModelDir(): string {
  if (!existsSync(resolve(ICT_MODEL_DIR, 'model.json'))) {
    throw new Error(
      `ICT Face Model not found at ${ICT_MODEL_DIR} (model.json missing): download ICT-FaceKit and run ` +
        '`avatarme import-face-model <ICT-FaceKit>/FaceXModel --out ../shared/data/ict-face-model`',
    );
  }
  return ICT_MODEL_DIR;
}

let cached: Promise<MorphableModel> | undefined;

/** The ICT model, loaded once per test file. */
export function loadIctModel(): Promise<MorphableModel> {
  cached ??= loadMorphableModel(nodeModelReader(requireIctModelDir()));
  return cached;
}
