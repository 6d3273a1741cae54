import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer';

/**
 * Flags measured in shared docs (webgpu-here.md): with only --enable-unsafe-webgpu compute works but a
 * presented WebGPU canvas loses the device; the SwiftShader/ANGLE set makes both work. The network flags
 * keep Chromium from dialling out on a machine with no network.
 */
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--use-angle=swiftshader',
  '--use-vulkan=swiftshader',
  '--enable-features=Vulkan',
  '--enable-unsafe-swiftshader',
  '--disable-gpu-watchdog',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

export function chromiumPath(): string {
  const candidates = [process.env.CHROME_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  for (const c of candidates) if (c && existsSync(c)) return c;
  throw new Error('Chromium not found: install Debian\'s "chromium" package or set CHROME_PATH');
}

/**
 * Without `userDataDir` puppeteer gives each launch a fresh temporary profile and removes it on
 * close; with one, the profile (and the GPU process's shader cache in it) outlives the browser. One
 * Chromium at a time may use a profile: see lockProfile.
 */
export async function launchChromium(opts: { userDataDir?: string } = {}): Promise<Browser> {
  return puppeteer.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: CHROMIUM_FLAGS,
    protocolTimeout: 0,
    userDataDir: opts.userDataDir,
  });
}

/**
 * Takes `dir` for this process if no live process holds it (a lock folder with the holder's pid
 * beside it); returns the release function, or undefined when another process has it.
 */
export function lockProfile(dir: string): (() => void) | undefined {
  const lock = `${dir}.lock`;
  mkdirSync(dirname(dir), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      return () => rmSync(lock, { recursive: true, force: true });
    } catch {
      let holder: number;
      try {
        holder = Number(readFileSync(join(lock, 'pid'), 'utf8'));
      } catch {
        // Just made by another process that has not written its pid yet.
        return undefined;
      }
      if (isAlive(holder)) return undefined;
      rmSync(lock, { recursive: true, force: true });
    }
  }
  return undefined;
}

/** Whether `pid` runs: a zombie (killed, not yet reaped by init, which can take seconds) does not. */
function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  return procState(pid) !== 'Z';
}

/** The state letter of /proc/<pid>/stat (R, S, Z, …); undefined when gone or not Linux. */
function procState(pid: number | string): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name in parentheses may hold spaces and parentheses: the state follows the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch {
    return undefined;
  }
}

/** Live processes whose command line names `userDataDir` (the browser and its children). */
function chromiumOnProfile(userDataDir: string): number[] {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return [];
  }
  const flag = `--user-data-dir=${userDataDir}`;
  return pids
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(flag);
      } catch {
        return false;
      }
    })
    .filter((pid) => procState(pid) !== 'Z')
    .map(Number);
}

/**
 * Stops the Chromium left running on `userDataDir` by a process that died without closing it (killed
 * by a signal it could not handle) and waits until it and its children have exited, so that a new
 * Chromium may take the profile: one started while the old one lives hands its window to the old one
 * and exits at once. Call only while holding the profile's lock (lockProfile), so that no live owner's
 * browser is touched. Linux (/proc); elsewhere it does nothing. Returns how many processes it stopped.
 */
export async function stopOrphanedChromium(userDataDir: string, timeoutMs = 10_000): Promise<number> {
  const orphans = chromiumOnProfile(userDataDir);
  for (const pid of orphans) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone meanwhile.
    }
  }
  const t0 = performance.now();
  while (chromiumOnProfile(userDataDir).length) {
    if (performance.now() - t0 > timeoutMs)
      throw new Error(`Chromium left on ${userDataDir} did not exit within ${timeoutMs / 1000} s`);
    await new Promise((ok) => setTimeout(ok, 50));
  }
  return orphans.length;
}
