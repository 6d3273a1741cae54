#!/usr/bin/env node
// Training data of the learned reflectance networks (tools/src/train/make-data.ts), through tsx as the CLI.
import { register } from 'tsx/esm/api';

register();
await import('../src/train/make-data.ts');
