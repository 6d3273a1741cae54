import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import { workspaceAliases } from '../../tools/src/workspace.ts';

export default defineConfig({
  root: import.meta.dirname,
  base: './',
  resolve: { alias: workspaceAliases(resolve(import.meta.dirname, '../..')) },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
});
