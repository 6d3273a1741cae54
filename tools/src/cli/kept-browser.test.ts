import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, ROOT } from './run-cli.ts';

// The kept browser: a run started with AVATARME_KEEP_BROWSER leaves Chromium with its page and
// GPUDevice behind for the next run, which reuses it; a killed one is replaced without a word.
const cache = mkdtempSync(join(tmpdir(), 'avatarme-kept-'));
const out = mkdtempSync(join(tmpdir(), 'avatarme-kept-out-'));
const env = {
  ...process.env,
  AVATARME_CACHE_DIR: cache,
  AVATARME_KEEP_BROWSER: '120',
  AVATARME_TIMINGS: '1',
};

function landmarks(file: string) {
  const r = spawnSync(
    process.execPath,
    [CLI, 'landmarks', 'assets/astronaut.png', '--out', join(out, file), '--quiet'],
    { cwd: ROOT, encoding: 'utf8', timeout: 300_000, env },
  );
  expect(r.status, r.stderr).toBe(0);
  return { json: readFileSync(join(out, file), 'utf8'), timings: r.stderr };
}

const keptPid = (timings: string) => Number(/pid (\d+)/.exec(timings)?.[1]);
const socket = () => readdirSync(cache).find((f) => f.endsWith('.sock'));

afterAll(() => {
  const pid = keptPid(readFileSync(join(cache, 'browser.log'), 'utf8').split('\n').at(-2) ?? '');
  try {
    if (pid) process.kill(pid);
  } catch {
    // Already gone.
  }
  rmSync(out, { recursive: true, force: true });
  // Chromium may still be writing its profile while it closes: retried removal.
  rmSync(cache, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
});

describe('the kept browser (real Chromium + WebGPU)', () => {
  it('a second run reuses the first run’s browser and writes the same landmarks; a killed one is replaced', async () => {
    const first = landmarks('1.json');
    expect(first.timings).toMatch(/kept browser started, pid \d+/);
    const pid = keptPid(first.timings);
    expect(socket()).toBeDefined();

    const second = landmarks('2.json');
    expect(second.timings).toMatch(new RegExp(`kept browser \\(pid ${pid}, run 2\\)`));
    expect(second.json).toBe(first.json);

    process.kill(pid, 'SIGKILL');
    await new Promise((ok) => setTimeout(ok, 500));
    const third = landmarks('3.json');
    expect(third.timings).toMatch(/kept browser started, pid \d+/);
    expect(keptPid(third.timings)).not.toBe(pid);
    expect(third.json).toBe(first.json);
    // It took the profile back from the killed one's Chromium rather than running on a fresh one.
    expect(readFileSync(join(cache, 'browser.log'), 'utf8')).toMatch(
      /stopped \d+ Chromium processes left on/,
    );

    // Stopped, it removes its socket.
    process.kill(keptPid(third.timings), 'SIGTERM');
    for (let i = 0; i < 50 && socket(); i++) await new Promise((ok) => setTimeout(ok, 100));
    expect(socket()).toBeUndefined();
    expect(existsSync(join(cache, 'browser.log'))).toBe(true);
    // No Chromium is left behind on the profile.
    const onProfile = () =>
      readdirSync('/proc')
        .filter((p) => /^\d+$/.test(p))
        .filter((p) => {
          try {
            return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(join(cache, 'chromium-profile'));
          } catch {
            return false;
          }
        });
    for (let i = 0; i < 100 && onProfile().length; i++) await new Promise((ok) => setTimeout(ok, 100));
    expect(onProfile()).toEqual([]);
  }, 900_000);
});
