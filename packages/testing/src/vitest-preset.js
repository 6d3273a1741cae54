// Plain JavaScript: Vite loads config files through Node, which cannot import TypeScript from a
// linked workspace package.
import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';
import { workspaceAliases } from '@avatarme/browser-runtime/workspace';

const ROOT = resolve(import.meta.dirname, '../../..');

/**
 * One config for every project: tests in src/**, GPU test files one at a time (SwiftShader uses every
 * core) in one shared Chromium (gpu-global-setup.ts), a JSON report per project for the summary line.
 * @param {string} project the Nx project name (names the JSON report)
 * @param {string} dir the project's directory
 * @param {{ sharedBrowser?: boolean }} [options] sharedBrowser: false for a project with no
 *   useGpuPage test (no browser is started for it)
 */
export function vitestPreset(project, dir, { sharedBrowser = true } = {}) {
  return defineConfig({
    root: dir,
    resolve: { alias: workspaceAliases(ROOT) },
    test: {
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      // Measurements on real data (minutes each) run only when asked: AVATARME_MEASURE=1 npx vitest run <file>.
      exclude: process.env.AVATARME_MEASURE ? [] : ['**/*.measure.test.ts', '**/node_modules/**'],
      testTimeout: 300_000,
      hookTimeout: 180_000,
      fileParallelism: false,
      passWithNoTests: true,
      pool: 'forks',
      globalSetup: sharedBrowser ? [resolve(import.meta.dirname, 'gpu-global-setup.ts')] : [],
      reporters: ['default', ['json', { outputFile: resolve(ROOT, `reports/vitest-${project}.json`) }]],
    },
  });
}
