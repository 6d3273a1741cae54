import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AdapterInfo, CallOptions, OpenTimings } from '@avatarme/browser-runtime';
import type { PipelineStats } from '@avatarme/kernels';
import { currentCliBundle } from '../../../setup/cli-bundle.mjs';
import { encodeFrame, FrameReader, type Message } from './frames.ts';

const DAEMON = fileURLToPath(new URL('./daemon.ts', import.meta.url));
const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../..');
/** A Unix socket path must fit sockaddr_un (108 bytes with the terminator). */
const MAX_SOCKET_PATH = 100;
const START_TIMEOUT_MS = 120_000;

export class KeptBrowserError extends Error {}

interface Info {
  pid: number;
  bundleDir: string;
  adapter: AdapterInfo;
  timings: OpenTimings;
  runs: number;
}

function ask(socketPath: string, method: string, path: string, timeoutMs: number): Promise<string> {
  return new Promise((ok, fail) => {
    const req = request({ socketPath, method, path, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => (res.statusCode === 200 ? ok(body) : fail(new Error(`status ${res.statusCode}`))));
    });
    req.on('timeout', () => req.destroy(new Error('no answer')));
    req.on('error', fail);
    req.end();
  });
}

async function info(socketPath: string): Promise<Info | undefined> {
  try {
    return JSON.parse(await ask(socketPath, 'GET', '/info', 5_000)) as Info;
  } catch {
    return undefined;
  }
}

/** Where the kept browser of this built page listens: beside the page in the cache folder. */
export function socketPathFor(cacheDir: string, bundleDir: string): string | undefined {
  const path = join(cacheDir, `browser-${basename(bundleDir).replace(/^page-/, '')}.sock`);
  return path.length <= MAX_SOCKET_PATH ? path : undefined;
}

/** Asks kept browsers of other (older) builds of the page to quit: their page folder is pruned. */
function quitOthers(cacheDir: string, socketPath: string): void {
  let names: string[];
  try {
    names = readdirSync(cacheDir);
  } catch {
    return;
  }
  for (const n of names)
    if (/^browser-.*\.sock$/.test(n) && join(cacheDir, n) !== socketPath)
      void ask(join(cacheDir, n), 'POST', '/quit', 2_000).catch(() =>
        rmSync(join(cacheDir, n), { force: true }),
      );
}

function lastLogLine(logFile: string): string {
  try {
    const lines = readFileSync(logFile, 'utf8').trim().split('\n');
    return lines.at(-1) ?? '';
  } catch {
    return '';
  }
}

/**
 * Starts the kept browser for this page, or waits for the one another CLI is starting; resolves once
 * it answers. `idleMs`: how long it waits for the next run before it exits.
 */
async function start(cacheDir: string, bundleDir: string, socketPath: string, idleMs: number): Promise<Info> {
  mkdirSync(cacheDir, { recursive: true });
  quitOthers(cacheDir, socketPath);
  const logFile = join(cacheDir, 'browser.log');
  const lock = `${socketPath}.starting`;
  let starter = false;
  try {
    mkdirSync(lock);
    starter = true;
  } catch {
    // Another CLI is starting it (or died doing so: the lock is then older than the start timeout).
  }
  let exited: string | undefined;
  if (starter) {
    const out = openSync(logFile, 'a');
    // The daemon bundled with the CLI when that bundle is current (no tsx to start), else its source.
    const bundled = currentCliBundle();
    const daemon = bundled ? [join(dirname(bundled), 'daemon.js')] : ['--import', 'tsx', DAEMON];
    const child = spawn(
      process.execPath,
      [...daemon, bundleDir, socketPath, String(idleMs), join(cacheDir, 'chromium-profile')],
      { cwd: REPO_ROOT, detached: true, stdio: ['ignore', out, out] },
    );
    closeSync(out);
    child.on('exit', (code) => (exited = `exited with code ${code}`));
    child.unref();
  }
  try {
    const t0 = performance.now();
    for (;;) {
      const found = await info(socketPath);
      if (found) return found;
      if (exited)
        throw new KeptBrowserError(`the kept browser ${exited}: ${lastLogLine(logFile)} (log: ${logFile})`);
      if (performance.now() - t0 > START_TIMEOUT_MS) {
        if (!starter) rmSync(lock, { recursive: true, force: true });
        throw new KeptBrowserError(
          `the kept browser did not start in ${START_TIMEOUT_MS / 1000} s (log: ${logFile})`,
        );
      }
      await new Promise((ok) => setTimeout(ok, 100));
    }
  } finally {
    if (starter) rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * A page in the kept browser, as the CLI's commands use a GpuPage: calls run there, typed arrays and
 * progress events come back over the socket.
 */
export class KeptPage {
  private directories: string[] = [];
  private eventHandler: ((value: unknown) => void) | undefined;
  /** Pipeline counts of the device after the last call (cumulative over the kept browser's runs). */
  lastPipelines: PipelineStats | undefined;
  lastRun = 0;
  readonly console: readonly string[] = [];

  constructor(
    private readonly socketPath: string,
    readonly adapter: AdapterInfo,
    readonly timings: OpenTimings,
    readonly pid: number,
    /** The browser was started by this run. */
    readonly startedNow: boolean,
  ) {}

  get adapterLine(): string {
    const a = this.adapter;
    return `adapter: ${a.vendor || '?'} / ${a.architecture || '?'}${a.description ? ` (${a.description})` : ''}`;
  }

  /** A URL standing for `dir`; the kept browser replaces it with the URL its page reads the directory at. */
  serveDirectory(dir: string): string {
    this.directories.push(dir);
    return `http://avatarme-dir.invalid/${this.directories.length - 1}/`;
  }

  async onEvent(handler: (value: unknown) => void): Promise<void> {
    this.eventHandler = handler;
  }

  async call<T = unknown>(
    module: string | URL,
    exportName: string,
    args: unknown = {},
    opts: CallOptions = {},
  ): Promise<T> {
    const file = module instanceof URL || module.startsWith('file:') ? fileURLToPath(module) : module;
    const body = await encodeFrame({
      module: file,
      exportName,
      args: args as Message[string],
      timeoutMs: opts.timeoutMs,
      directories: this.directories,
    });
    const final = await new Promise<Message>((ok, fail) => {
      let result: Message | undefined;
      const reader = new FrameReader((m) => {
        if (m.type === 'event') this.eventHandler?.(m.value);
        else result = m;
      });
      let pending = Promise.resolve();
      const req = request({ socketPath: this.socketPath, method: 'POST', path: '/call' }, (res) => {
        res.on('data', (c: Buffer) => (pending = pending.then(() => reader.push(c))));
        res.on('end', () =>
          pending.then(() =>
            result
              ? ok(result)
              : fail(
                  new KeptBrowserError(
                    `the kept browser (pid ${this.pid}) stopped during the run; run again (AVATARME_KEEP_BROWSER=0 runs without it)`,
                  ),
                ),
          ),
        );
        res.on('error', fail);
      });
      req.on('error', (e) =>
        fail(new KeptBrowserError(`the kept browser (pid ${this.pid}) is gone (${e.message}); run again`)),
      );
      req.end(body);
    });
    if (final.type === 'error') throw new Error(String(final.message));
    this.lastPipelines = final.pipelines as PipelineStats;
    this.lastRun = Number(final.run);
    return final.value as T;
  }
}

/** The kept browser of this built page: the running one, or one started now. */
export async function connectKeptBrowser(
  cacheDir: string,
  bundleDir: string,
  idleMs: number,
): Promise<KeptPage | undefined> {
  const socketPath = socketPathFor(cacheDir, bundleDir);
  if (!socketPath) return undefined;
  let found = await info(socketPath);
  const startedNow = !found;
  found ??= await start(cacheDir, bundleDir, socketPath, idleMs);
  return new KeptPage(socketPath, found.adapter, found.timings, found.pid, startedNow);
}
