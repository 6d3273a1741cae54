import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, afterAll } from 'vitest';
import { pageModulePath, pageSourceHash } from './bundle.ts';
import { lockProfile, stopOrphanedChromium } from './chromium.ts';
import { REPO_ROOT } from './server.ts';

/** The state letter in /proc/<pid>/stat, or undefined once the process is gone. */
function procState(pid: number): string | undefined {
  if (!existsSync(`/proc/${pid}`)) return undefined;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat[stat.lastIndexOf(')') + 2];
}

const made: string[] = [];
const temporary = () => {
  made.push(mkdtempSync(join(tmpdir(), 'profile-')));
  return made[made.length - 1];
};
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('kept Chromium profile lock', () => {
  it('one holder at a time; released, it can be taken again', () => {
    const dir = join(temporary(), 'chromium-profile');
    const release = lockProfile(dir);
    expect(release).toBeTypeOf('function');
    expect(lockProfile(dir)).toBeUndefined();
    release!();
    const again = lockProfile(dir);
    expect(again).toBeTypeOf('function');
    again!();
  });
  it('takes over the lock of a process that has exited', () => {
    const dir = join(temporary(), 'chromium-profile');
    const exited = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
    mkdirSync(`${dir}.lock`);
    writeFileSync(join(`${dir}.lock`, 'pid'), exited.stdout.trim());
    const release = lockProfile(dir);
    expect(release).toBeTypeOf('function');
    release!();
  });
  it('takes over the lock of a killed process that is not reaped yet (a zombie)', () => {
    const dir = join(temporary(), 'chromium-profile');
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    child.kill('SIGKILL');
    // Node reaps its children only when the event loop turns: until then the child is a zombie.
    while (procState(child.pid!) !== 'Z');
    mkdirSync(`${dir}.lock`);
    writeFileSync(join(`${dir}.lock`, 'pid'), String(child.pid));
    const release = lockProfile(dir);
    expect(release).toBeTypeOf('function');
    release!();
  });
  it('stops every process left on a profile and waits until they have exited', async () => {
    const dir = join(temporary(), 'chromium-profile');
    const stray = [0, 1].map(() =>
      spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)', '--', `--user-data-dir=${dir}`]),
    );
    const other = spawn(process.execPath, [
      '-e',
      'setTimeout(() => {}, 60000)',
      '--',
      `--user-data-dir=${dir}2`,
    ]);
    // Wait until both have exec'd node with their arguments.
    while (!stray.every((c) => readFileSync(`/proc/${c.pid}/cmdline`, 'utf8').includes(dir)))
      await new Promise((ok) => setTimeout(ok, 10));
    expect(await stopOrphanedChromium(dir)).toBe(2);
    // Exited: gone, or a zombie until this process's event loop reaps it.
    for (const c of stray) expect(['Z', undefined]).toContain(procState(c.pid!));
    expect(await stopOrphanedChromium(dir)).toBe(0);
    expect(other.exitCode).toBeNull();
    other.kill();
  });
});

describe('built page cache key', () => {
  it('names modules by their path in the repository and changes with the module list', () => {
    const a = join(REPO_ROOT, 'tools/src/cli/page/landmarks.gpu.ts');
    const b = join(REPO_ROOT, 'tools/src/cli/page/filter.gpu.ts');
    expect(pageModulePath(a)).toBe('/tools/src/cli/page/landmarks.gpu.ts');
    expect(pageSourceHash([a])).toBe(pageSourceHash([a]));
    expect(pageSourceHash([a, b])).not.toBe(pageSourceHash([a]));
  });
});
