// Plain JavaScript: Vite loads config files through Node, which cannot import TypeScript from a
// linked workspace package.
import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';
import { workspaceAliases } from '@avatarme/browser-runtime/workspace';

const ROOT = resolve(import.meta.dirname, '../../..');

/**
 * One config for every project: tests in src/**, GPU test files one at a time (each owns a Chromium
 * whose SwiftShader adapter uses every core), a JSON report per project for the final summary line.
 * @param {string} project the Nx project name (names the JSON report)
 * @param {string} dir the project's directory
 */
export function vitestPreset(project, dir) {
  return defineConfig({
    root: dir,
    resolve: { alias: workspaceAliases(ROOT) },
    test: {
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      testTimeout: 300_000,
      hookTimeout: 180_000,
      fileParallelism: false,
      passWithNoTests: true,
      pool: 'forks',
      reporters: ['default', ['json', { outputFile: resolve(ROOT, `reports/vitest-${project}.json`) }]],
    },
  });
}
