// Plain JavaScript: set-up (tools/setup/ensure.mjs) checks for a built page with Node alone, before
// loading tsx, and builds only when this hash has no build yet.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * The page path a module has under either server: '/' + its path inside the repository.
 * @param {string} file
 * @returns {string}
 */
export function pageModulePath(file) {
  return '/' + relative(REPO_ROOT, file).split('\\').join('/');
}

/**
 * @param {string} dir
 * @param {string[]} out
 * @returns {string[]}
 */
function filesUnder(dir, out) {
  if (!existsSync(dir)) return out;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) filesUnder(p, out);
    else if (!/\.test\.ts$/.test(e.name)) out.push(p);
  }
  return out;
}

/**
 * A hash of everything a built page is made of: the packages' sources (tests left out), the page
 * modules' folders, the lock file and the list of modules. Any edit gives a new bundle.
 * @param {readonly string[]} modules absolute paths of the page modules
 * @returns {string}
 */
export function pageSourceHash(modules) {
  const h = createHash('sha256');
  const packages = resolve(REPO_ROOT, 'packages');
  const dirs = readdirSync(packages).map((p) => join(packages, p, 'src'));
  for (const m of modules) dirs.push(dirname(m));
  const files = [...new Set(dirs.flatMap((d) => filesUnder(d, [])))].sort();
  files.push(resolve(REPO_ROOT, 'package-lock.json'));
  for (const f of files) {
    h.update(relative(REPO_ROOT, f));
    h.update(readFileSync(f));
  }
  h.update(JSON.stringify(modules.map(pageModulePath)));
  return h.digest('hex').slice(0, 16);
}
