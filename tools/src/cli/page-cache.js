// Plain JavaScript: set-up (tools/setup/ensure.mjs) finds the built page with Node alone, before
// loading tsx; page-session.ts uses the same two functions.
import { readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, URL } from 'node:url';

const PAGE_DIR = fileURLToPath(new URL('./page/', import.meta.url));

/**
 * Where the CLI keeps its built page, Chromium profile and pipeline lists: AVATARME_CACHE_DIR, or the XDG cache.
 * @returns {string}
 */
export function cacheDir() {
  if (process.env.AVATARME_CACHE_DIR) return process.env.AVATARME_CACHE_DIR;
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'avatarme');
}

/**
 * Every module the CLI runs in the page: the built page holds exactly these.
 * @returns {string[]}
 */
export function cliPageModules() {
  return readdirSync(PAGE_DIR)
    .filter((f) => f.endsWith('.gpu.ts'))
    .sort()
    .map((f) => join(PAGE_DIR, f));
}
