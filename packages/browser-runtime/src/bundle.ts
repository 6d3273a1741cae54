import { stripVTControlCharacters } from 'node:util';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Plugin } from 'vite';
import { REPO_ROOT } from './server.ts';
import { pageModulePath, pageSourceHash } from './page-hash.js';
import { workspaceAliases } from './workspace.js';

export { pageModulePath, pageSourceHash };

const ENTRY_ID = 'virtual:avatarme-page-bundle';
const HARNESS_MAIN = resolve(REPO_ROOT, 'packages/browser-runtime/src/page/main.ts');

/** The entry of a built page: the harness, and each page module as a lazily loaded chunk by its path. */
function entryPlugin(modules: readonly string[]): Plugin {
  const resolved = '\0' + ENTRY_ID;
  return {
    name: 'avatarme-page-bundle-entry',
    resolveId: (id) => (id === ENTRY_ID ? resolved : undefined),
    load(id) {
      if (id !== resolved) return undefined;
      const table = modules
        .map((m) => `  ${JSON.stringify(pageModulePath(m))}: () => import(${JSON.stringify(m)}),`)
        .join('\n');
      return `globalThis.__harnessModules = {\n${table}\n};\nimport(${JSON.stringify(HARNESS_MAIN)});\n`;
    },
  };
}

/** Builds of other sources, unused for an hour (a running CLI may still be reading a recent one). */
function pruneOldBundles(cacheDir: string, keep: string): void {
  const hourAgo = Date.now() - 3_600_000;
  for (const name of readdirSync(cacheDir)) {
    const p = join(cacheDir, name);
    if (!name.startsWith('page-') || p === keep) continue;
    try {
      if (statSync(p).mtimeMs < hourAgo) rmSync(p, { recursive: true, force: true });
    } catch {
      // Removed by another process meanwhile.
    }
  }
}

const INDEX_HTML = `<!doctype html>
<html><head><meta charset="utf-8" /><title>avatarme GPU page</title></head>
<body><script type="module" src="/harness.js"></script></body></html>
`;

/**
 * The page, built once: the harness and the given page modules (absolute paths) bundled by Vite into
 * `<cacheDir>/page-<hash>/`, served later by a plain static server (startStaticServer) so that a run
 * transforms nothing. Returns the folder; an existing build of the same sources is reused. Two
 * processes building at once each build into a folder of their own and the first rename wins.
 */
export async function buildPageBundle(
  modules: readonly string[],
  cacheDir: string,
): Promise<{ dir: string; built: boolean; ms: number }> {
  const t0 = performance.now();
  const dir = join(cacheDir, `page-${pageSourceHash(modules)}`);
  if (existsSync(join(dir, 'index.html'))) return { dir, built: false, ms: performance.now() - t0 };
  mkdirSync(cacheDir, { recursive: true });
  const tmp = `${dir}.tmp-${process.pid}`;
  const { build } = await import('vite');
  try {
    await build({
      root: REPO_ROOT,
      configFile: false,
      logLevel: 'error',
      publicDir: false,
      resolve: { alias: workspaceAliases(REPO_ROOT) },
      plugins: [entryPlugin(modules)],
      build: {
        outDir: tmp,
        emptyOutDir: true,
        target: 'es2022',
        modulePreload: false,
        reportCompressedSize: false,
        copyPublicDir: false,
        rolldownOptions: {
          input: { harness: ENTRY_ID },
          output: { entryFileNames: 'harness.js', chunkFileNames: 'chunks/[name]-[hash].js' },
        },
      },
    });
    writeFileSync(join(tmp, 'index.html'), INDEX_HTML);
    try {
      renameSync(tmp, dir);
    } catch (e) {
      // Another process renamed its build of the same sources first.
      if (!existsSync(join(dir, 'index.html'))) throw e;
      rmSync(tmp, { recursive: true, force: true });
    }
    pruneOldBundles(cacheDir, dir);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    // Rolldown's message is a count line, then one block per error: keep the count and the first.
    const lines = stripVTControlCharacters((e as Error).message)
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    throw new Error(`building the page bundle failed: ${lines.slice(0, 2).join(' ')}`, { cause: e });
  }
  return { dir, built: true, ms: performance.now() - t0 };
}
