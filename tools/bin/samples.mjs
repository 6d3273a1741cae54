#!/usr/bin/env node
// The README's sample renders (`npm run samples`). TypeScript sources are run through tsx, as for the CLI.
import { register } from 'tsx/esm/api';

register();
await import('../src/docs/samples.ts');
