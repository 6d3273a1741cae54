// Plain JavaScript: Vite loads config files through Node, which cannot import TypeScript from a
// linked workspace package, and every vite/vitest config uses these aliases.
import { resolve } from 'node:path';

/**
 * The same aliases as tsconfig.base.json's paths, for Vite and vitest.
 * @param {string} root the repository root
 * @returns {{ find: RegExp; replacement: string }[]}
 */
export function workspaceAliases(root) {
  const alias = (find, path) => ({ find, replacement: resolve(root, path) });
  return [
    alias(/^@avatarme\/kernels$/, 'packages/kernels/src/index.ts'),
    alias(/^@avatarme\/kernels\/(.*)$/, 'packages/kernels/src/$1'),
    alias(/^@avatarme\/nets$/, 'packages/nets/src/index.ts'),
    alias(/^@avatarme\/nets\/(.*)$/, 'packages/nets/src/$1'),
    alias(/^@avatarme\/pipeline$/, 'packages/pipeline/src/index.ts'),
    alias(/^@avatarme\/pipeline\/(.*)$/, 'packages/pipeline/src/$1'),
    alias(/^@avatarme\/browser-runtime$/, 'packages/browser-runtime/src/index.ts'),
    alias(/^@avatarme\/browser-runtime\/without-browser$/, 'packages/browser-runtime/src/without-browser.ts'),
    alias(/^@avatarme\/browser-runtime\/workspace$/, 'packages/browser-runtime/src/workspace.js'),
    alias(/^@avatarme\/testing$/, 'packages/testing/src/index.ts'),
    alias(/^@avatarme\/testing\/page$/, 'packages/testing/src/page.ts'),
    alias(/^@avatarme\/testing\/vitest-preset$/, 'packages/testing/src/vitest-preset.js'),
    // Its package "main" is a build Node's ESM loader cannot take named exports from; the ES module
    // build is what browsers get too, so Node tests (the pipeline cache's) see the same code.
    alias(/^wgsl_reflect$/, 'node_modules/wgsl_reflect/wgsl_reflect.module.js'),
  ];
}
