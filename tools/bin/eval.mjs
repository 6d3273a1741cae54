#!/usr/bin/env node
// The evaluation (`npm run eval`). TypeScript sources are run through tsx, as for the CLI.
import { register } from 'tsx/esm/api';

register();
await import('../src/eval/main.ts');
