import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

// For the CLI's tests: the command run as a user runs it, from a checkout's root.

export const ROOT = resolve(import.meta.dirname, '../../..');
export const CLI = join(ROOT, 'tools/bin/avatarme.mjs');

/** `avatarme ...args` from the repository root, its output as UTF-8, killed after timeoutMs. */
export function runCli(args: string[], timeoutMs: number) {
  return spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', timeout: timeoutMs });
}
