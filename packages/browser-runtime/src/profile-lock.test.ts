import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pageModulePath, pageSourceHash } from './bundle.ts';
import { lockProfile } from './chromium.ts';
import { REPO_ROOT } from './server.ts';

describe('kept Chromium profile lock', () => {
  it('one holder at a time; released, it can be taken again', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'profile-')), 'chromium-profile');
    const release = lockProfile(dir);
    expect(release).toBeTypeOf('function');
    expect(lockProfile(dir)).toBeUndefined();
    release!();
    const again = lockProfile(dir);
    expect(again).toBeTypeOf('function');
    again!();
  });
  it('takes over the lock of a process that has exited', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'profile-')), 'chromium-profile');
    const exited = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
    mkdirSync(`${dir}.lock`);
    writeFileSync(join(`${dir}.lock`, 'pid'), exited.stdout.trim());
    const release = lockProfile(dir);
    expect(release).toBeTypeOf('function');
    release!();
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
