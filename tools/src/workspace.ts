import { resolve } from 'node:path';

/** The same aliases as tsconfig.base.json's paths, for Vite and vitest. */
export function workspaceAliases(root: string): { find: string | RegExp; replacement: string }[] {
  return [
    { find: /^@avatarme\/kernels$/, replacement: resolve(root, 'packages/kernels/src/index.ts') },
    { find: /^@avatarme\/kernels\/(.*)$/, replacement: resolve(root, 'packages/kernels/src/$1') },
    { find: /^@avatarme\/nets$/, replacement: resolve(root, 'packages/nets/src/index.ts') },
    { find: /^@avatarme\/nets\/(.*)$/, replacement: resolve(root, 'packages/nets/src/$1') },
    { find: /^@avatarme\/pipeline$/, replacement: resolve(root, 'packages/pipeline/src/index.ts') },
    { find: /^@avatarme\/pipeline\/(.*)$/, replacement: resolve(root, 'packages/pipeline/src/$1') },
    { find: /^@avatarme\/tools\/(.*)$/, replacement: resolve(root, 'tools/src/$1') },
  ];
}
