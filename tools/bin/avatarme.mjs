#!/usr/bin/env node
// The avatarme command: the bundle set-up built from the current sources (tools/setup/cli-bundle.mjs),
// else the TypeScript sources through tsx, so an edit never runs stale code.
import { currentCliBundle } from '../setup/cli-bundle.mjs';

const bundle = process.env.AVATARME_CLI === 'sources' ? undefined : currentCliBundle();
if (bundle) {
  await import(bundle);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
