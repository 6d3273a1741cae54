#!/usr/bin/env node
// The benchmark suite (`npm run bench`). TypeScript sources are run through tsx, as for the CLI.
import { register } from 'tsx/esm/api';

register();
await import('../src/bench/main.ts');
