/** The same aliases as tsconfig.base.json's paths, for Vite and vitest. */
export function workspaceAliases(root: string): { find: RegExp; replacement: string }[];
