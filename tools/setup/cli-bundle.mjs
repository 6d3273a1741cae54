// The avatarme command as one bundled JavaScript module (its lazy chunks and the kept browser's daemon
// beside it), built by set-up once per
// source change: starting tsx and resolving the CLI's TypeScript modules through it took ~1 s of every
// command. Plain JavaScript: tools/bin/avatarme.mjs checks for a current bundle with Node alone.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const ENTRIES = {
  main: join(ROOT, 'tools/src/cli/main.ts'),
  // The kept browser's process (kept-browser/client.ts starts it).
  daemon: join(ROOT, 'tools/src/cli/kept-browser/daemon.ts'),
};
// Inside node_modules, so that the packages left out of the bundle resolve from it as from the sources.
const DIR = join(ROOT, 'node_modules/.cache/avatarme-cli');

/**
 * A hash of the bundle's inputs (paths relative to the repository, and contents), with the repository's
 * path: the bundle names its source files by absolute path.
 * @param {readonly string[]} inputs
 * @returns {string | undefined} undefined when an input is gone
 */
function inputsHash(inputs) {
  const h = createHash('sha256').update(ROOT);
  for (const f of inputs) {
    const p = join(ROOT, f);
    if (!existsSync(p)) return undefined;
    h.update(f).update(readFileSync(p));
  }
  return h.digest('hex');
}

/**
 * The bundle's entry when it was built from the sources as they are now, else undefined.
 * @param {string} [dir] where it was built (tests)
 * @returns {string | undefined}
 */
export function currentCliBundle(dir = DIR) {
  try {
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    const main = join(dir, 'main.js');
    return manifest.hash === inputsHash(manifest.inputs) && existsSync(main) ? main : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Bundles tools/src/cli/main.ts (and the kept browser's daemon) with the workspace modules they import (ES modules, dynamic imports as
 * lazy chunks); other packages stay imports. Each module's import.meta.url and dirname become its
 * source file's, so paths the CLI finds next to its sources stay what they are under tsx.
 * @param {string} [dir] where to build it (tests; inside the repository, for the packages it imports)
 * @returns {Promise<{ ms: number; dir: string }>}
 */
export async function buildCliBundle(dir = DIR) {
  const t0 = performance.now();
  // esbuild comes with tsx.
  const { build } = await import('esbuild');
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  try {
    const result = await build({
      entryPoints: ENTRIES,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      outdir: tmp,
      metafile: true,
      logLevel: 'silent',
      plugins: [
        {
          name: 'avatarme-cli',
          setup(b) {
            b.onResolve({ filter: /^[^./]/ }, (a) =>
              a.path.startsWith('@avatarme/') ? undefined : { external: true },
            );
            b.onLoad({ filter: /\.[cm]?[jt]s$/ }, (a) => {
              const source = readFileSync(a.path, 'utf8')
                .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(a.path).href))
                .replaceAll('import.meta.dirname', JSON.stringify(dirname(a.path)));
              return { contents: source, loader: /\.[cm]?ts$/.test(a.path) ? 'ts' : 'js' };
            });
          },
        },
      ],
    });
    const inputs = Object.keys(result.metafile.inputs)
      .map((f) => relative(ROOT, resolve(f)))
      .sort();
    writeFileSync(join(tmp, 'manifest.json'), JSON.stringify({ hash: inputsHash(inputs), inputs }));
    mkdirSync(dirname(dir), { recursive: true });
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return { ms: performance.now() - t0, dir };
}
