// Set-up shared by `npm start`, `npm test` and `npm run bench`: installs dependencies when
// node_modules is missing or older than package-lock.json, and Debian's Chromium when no Chromium
// is found. Uses only Node built-ins: it runs before node_modules exists.
import { createHash } from 'node:crypto';
import { execSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const stampFile = join(root, 'node_modules/.avatarme-lock-hash');

function fail(message) {
  console.error(`setup: ${message}`);
  process.exit(1);
}

function run(cmd, env = {}) {
  execSync(cmd, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
}

const lockHash = createHash('sha256')
  .update(readFileSync(join(root, 'package-lock.json')))
  .digest('hex');
const installed = existsSync(stampFile) ? readFileSync(stampFile, 'utf8').trim() : '';
if (installed !== lockHash) {
  console.log('setup: installing dependencies (npm ci)');
  try {
    run('npm ci --no-audit --no-fund', { PUPPETEER_SKIP_DOWNLOAD: '1' });
  } catch {
    fail('npm ci failed (see above)');
  }
  writeFileSync(stampFile, lockHash);
}

const chromium = [process.env.CHROME_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find(
  (p) => p && existsSync(p),
);
if (!chromium) {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = existsSync('/usr/bin/apt-get');
  if (!isRoot || !hasApt) {
    fail('Chromium not found: install it (Debian: sudo apt-get install chromium) or set CHROME_PATH');
  }
  console.log("setup: installing Debian's chromium (apt-get)");
  try {
    run('apt-get update -qq && apt-get install -y -qq chromium', { DEBIAN_FRONTEND: 'noninteractive' });
  } catch {
    fail('apt-get install chromium failed (see above)');
  }
}

// The CLI's page, built once per source change (tools/src/cli/page-session.ts), here rather than in
// the first command: CLI tests start several commands at once and would each build it. Finding the
// build needs Node alone; tsx and Vite load only to build it.
const { pageSourceHash } = await import('../../packages/browser-runtime/src/page-hash.js');
const { cacheDir, cliPageModules } = await import('../src/cli/page-cache.js');
const built = () => existsSync(join(cacheDir(), `page-${pageSourceHash(cliPageModules())}`, 'index.html'));
if (process.env.AVATARME_RUNTIME !== 'dev' && !built()) {
  const { register } = await import('tsx/esm/api');
  register();
  const { buildCliPage } = await import('../src/cli/page-session.ts');
  try {
    const { built, ms, dir } = await buildCliPage();
    if (built) console.log(`setup: built the CLI page in ${(ms / 1000).toFixed(1)} s (${dir})`);
  } catch (e) {
    // Not fatal here: tests that do not run the CLI still run; the CLI reports it again when used.
    console.error(`setup: ${e.message.split('\n')[0]}`);
  }
}

// The CLI itself as one bundle, once per source change (tools/bin/avatarme.mjs falls back to the
// sources through tsx while there is none).
const { buildCliBundle, currentCliBundle } = await import('./cli-bundle.mjs');
if (!currentCliBundle()) {
  try {
    const { ms } = await buildCliBundle();
    console.log(`setup: bundled the CLI in ${(ms / 1000).toFixed(1)} s`);
  } catch (e) {
    // Not fatal: the CLI runs from its sources.
    console.error(`setup: bundling the CLI: ${e.message.split('\n')[0]}`);
  }
}
