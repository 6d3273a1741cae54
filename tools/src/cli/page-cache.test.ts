import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pageSourceHash } from '@avatarme/browser-runtime/without-browser';
import { buildCliPage, cacheDir, cliPageModules } from './page-session.ts';

const ENSURE = resolve(import.meta.dirname, '../../setup/ensure.mjs');

describe('the built page in the cache', () => {
  const saved = process.env.AVATARME_CACHE_DIR;
  let dir: string | undefined;
  afterEach(() => {
    if (saved === undefined) delete process.env.AVATARME_CACHE_DIR;
    else process.env.AVATARME_CACHE_DIR = saved;
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('lists the page modules by path and honours AVATARME_CACHE_DIR', () => {
    const modules = cliPageModules();
    expect(modules.map((m) => basename(m))).toContain('reconstruct.gpu.ts');
    expect([...modules].sort()).toEqual(modules);
    process.env.AVATARME_CACHE_DIR = '/some/where';
    expect(cacheDir()).toBe('/some/where');
  });

  it('set-up (Node alone) and the CLI find the same build, and neither builds again', () => {
    dir = mkdtempSync(join(tmpdir(), 'avatarme-cache-'));
    const page = join(dir, `page-${pageSourceHash(cliPageModules())}`);
    mkdirSync(page);
    writeFileSync(join(page, 'index.html'), '<!-- stands for a build -->');
    const out = execFileSync(process.execPath, [ENSURE], {
      env: { ...process.env, AVATARME_CACHE_DIR: dir, AVATARME_RUNTIME: '' },
      encoding: 'utf8',
    });
    expect(out).not.toMatch(/built the CLI page/);
    expect(readdirSync(dir)).toEqual([basename(page)]);
    process.env.AVATARME_CACHE_DIR = dir;
    return buildCliPage().then((b) =>
      expect({ dir: b.dir, built: b.built }).toEqual({ dir: page, built: false }),
    );
  });
});
