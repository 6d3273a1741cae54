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

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Kills Chromium processes left running on `userDataDir` by a process that died without closing them
 * (killed by a signal it could not handle). Call only while holding the profile's lock (lockProfile),
 * so that no live owner's browser is touched. Linux (/proc); elsewhere it does nothing.
 */
export function killOrphanedChromium(userDataDir: string): number {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return 0;
  }
  const flag = `--user-data-dir=${userDataDir}`;
  let killed = 0;
  for (const pid of pids) {
    let args: string[];
    try {
      args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    if (!args.includes(flag) || args.some((a) => a.startsWith('--type='))) continue;
    try {
      process.kill(Number(pid), 'SIGKILL');
      killed++;
    } catch {
      // Gone meanwhile.
    }
  }
  return killed;
}
