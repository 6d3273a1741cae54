import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer, { type Browser, type BrowserContext, type Page } from 'puppeteer';
import type { PipelineStats, ProgramSource } from '@avatarme/kernels';
import { launchChromium, lockProfile, stopOrphanedChromium } from './chromium.ts';
import { pageModuleProxy, type CallOptions, type PageModule } from './page-module.ts';
import {
  BlobStore,
  REPO_ROOT,
  startPageServer,
  startStaticServer,
  startStoreServer,
  type PageServer,
} from './server.ts';
import { decodeValue, encodeValue } from './transfer.ts';

export interface AdapterInfo {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  userAgent: string;
  features: string[];
  maxStorageBufferBindingSize: number;
  maxBufferSize: number;
}

export class TimeoutError extends Error {}

/** A browser and dev server another process runs (the test runner's global set-up). */
export interface SharedHarness {
  /** Chromium's DevTools WebSocket endpoint. */
  wsEndpoint: string;
  /** Origin of the Vite dev server that serves the harness page and the sources. */
  origin: string;
}

export interface OpenOptions {
  timeoutMs?: number;
  /**
   * Open a page in this browser, in a browser context of its own, served by this dev server, instead
   * of launching a Chromium and a server: Vite's transforms and Chromium's start are paid once per
   * test run, not once per test file.
   */
  shared?: SharedHarness;
  /**
   * A built page (buildPageBundle) to serve with a plain static server; without it the Vite dev
   * server transforms the sources on request (tests: every edit is seen at once).
   */
  bundleDir?: string;
  /**
   * A Chromium profile folder to keep between runs (the GPU shader cache lives in it). Used only when
   * no other process holds it; otherwise this run gets a fresh temporary profile.
   */
  userDataDir?: string;
  /** Pipelines to create ahead, in parallel, before the first call (pipelines().sources of a run). */
  programs?: readonly ProgramSource[];
}

/** Milliseconds of each start-up step of a page (the CLI's --timings). */
export interface OpenTimings {
  server: number;
  chromium: number;
  /** Page load: the built bundle, or the dev server transforming every module. */
  page: number;
  adapter: number;
  /** Pipelines created ahead (OpenOptions.programs). */
  pipelinesAhead: number;
  /** Whether the kept profile was used (false: another process held it, or none was asked for). */
  keptProfile: boolean;
  /** Processes of a Chromium left on the kept profile by a killed owner, stopped before the launch. */
  orphansStopped: number;
}

export async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`${what} timed out after ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Module path as the page's server sees it: a file URL, an absolute path or a repo-relative path. */
function pagePath(module: string | URL): string {
  const file = module instanceof URL || module.startsWith('file:') ? fileURLToPath(module) : module;
  const rel = file.startsWith('/') ? relative(REPO_ROOT, file) : file;
  return '/' + rel.split('\\').join('/');
}

/**
 * One Chromium with one page that has a GPUDevice, served from 127.0.0.1 (a secure context, so
 * navigator.gpu exists). Calls run a module's export in the page and bring typed arrays back.
 */
export class GpuPage {
  adapter!: AdapterInfo;
  private consoleLines: string[] = [];
  private broken: string | undefined;
  private eventHandler: ((value: unknown) => void) | undefined;
  private eventExposed = false;

  readonly timings: OpenTimings = {
    server: 0,
    chromium: 0,
    page: 0,
    adapter: 0,
    pipelinesAhead: 0,
    keptProfile: false,
    orphansStopped: 0,
  };

  private constructor(
    private browser: Browser,
    private page: Page,
    private server: PageServer,
    private store: BlobStore,
    private readonly built: boolean,
    private readonly releaseProfile: (() => void) | undefined,
    /** In a shared browser: this page's context and the server of its blobs (another origin). */
    private readonly sharedParts?: { context: BrowserContext; storeServer: PageServer },
  ) {
    // Kept for the message of a call that fails.
    page.on('console', (m) => this.consoleLines.push(`[page ${m.type()}] ${m.text()}`));
    page.on('pageerror', (e) => this.consoleLines.push(`[page error] ${(e as Error).message}`));
  }

  private static async openShared(shared: SharedHarness, timeoutMs: number): Promise<GpuPage> {
    const store = new BlobStore();
    const storeServer = await startStoreServer(store);
    let browser: Browser | undefined;
    try {
      browser = await withTimeout(
        puppeteer.connect({ browserWSEndpoint: shared.wsEndpoint, protocolTimeout: 0 }),
        timeoutMs,
        'connecting to the shared Chromium',
      );
      const context = await browser.createBrowserContext();
      const page = await context.newPage();
      const server: PageServer = { origin: shared.origin, close: async () => {} };
      const gpu = new GpuPage(browser, page, server, store, false, undefined, { context, storeServer });
      await gpu.load(timeoutMs);
      return gpu;
    } catch (e) {
      await browser?.disconnect().catch(() => {});
      await storeServer.close();
      throw e;
    }
  }

  static async open(opts: OpenOptions = {}): Promise<GpuPage> {
    const timeoutMs = opts.timeoutMs ?? 120_000;
    if (opts.shared) return GpuPage.openShared(opts.shared, timeoutMs);
    const store = new BlobStore();
    let t = performance.now();
    const lap = () => {
      const now = performance.now();
      const ms = Math.round(now - t);
      t = now;
      return ms;
    };
    const server = opts.bundleDir
      ? await startStaticServer(store, opts.bundleDir)
      : await startPageServer(store);
    const serverMs = lap();
    const release = opts.userDataDir ? lockProfile(opts.userDataDir) : undefined;
    let browser: Browser | undefined;
    try {
      const orphansStopped = release ? await stopOrphanedChromium(opts.userDataDir!) : 0;
      browser = await withTimeout(
        launchChromium({ userDataDir: release && opts.userDataDir }),
        timeoutMs,
        'launching Chromium',
      );
      const page = await browser.newPage();
      const gpu = new GpuPage(browser, page, server, store, !!opts.bundleDir, release);
      gpu.timings.server = serverMs;
      gpu.timings.chromium = lap();
      gpu.timings.keptProfile = !!release;
      gpu.timings.orphansStopped = orphansStopped;
      await gpu.load(timeoutMs, lap);
      if (opts.programs?.length) {
        await withTimeout(
          page.evaluate((p) => (window as any).__harness.createAhead(p), opts.programs as ProgramSource[]),
          timeoutMs,
          'creating pipelines ahead',
        );
        gpu.timings.pipelinesAhead = lap();
      }
      return gpu;
    } catch (e) {
      await browser?.close().catch(() => {});
      release?.();
      await server.close();
      throw e;
    }
  }

  private async load(timeoutMs: number, lap: () => number = () => 0): Promise<void> {
    const url = this.built
      ? `${this.server.origin}/index.html`
      : `${this.server.origin}/packages/browser-runtime/src/page/index.html${
          this.sharedParts ? `?store=${encodeURIComponent(this.sharedParts.storeServer.origin)}` : ''
        }`;
    await withTimeout(this.page.goto(url, { waitUntil: 'load' }), timeoutMs, 'loading the harness page');
    await withTimeout(
      this.page.waitForFunction(() => document.title === 'ready', { timeout: 0 }),
      timeoutMs,
      'harness page start-up',
    ).catch((e) => {
      throw new Error(`${(e as Error).message}\n${this.consoleLines.join('\n')}`);
    });
    this.timings.page = lap();
    this.adapter = (await withTimeout(
      this.page.evaluate(() => (window as any).__harness.adapterInfo()),
      timeoutMs,
      'requesting the WebGPU adapter',
    )) as AdapterInfo;
    this.timings.adapter = lap();
    this.broken = undefined;
  }

  /** The device's pipeline cache: its counts and times, and every program it holds (for `programs`). */
  async pipelines(): Promise<{ stats: PipelineStats; sources: ProgramSource[] }> {
    return (await this.page.evaluate(() => (window as any).__harness.pipelines())) as {
      stats: PipelineStats;
      sources: ProgramSource[];
    };
  }

  /** Serves a local directory read-only to the page; returns its URL (ends with '/'). */
  serveDirectory(dir: string): string {
    const token = `d${this.store.directories.size}`;
    this.store.directories.set(token, dir);
    return `${(this.sharedParts?.storeServer ?? this.server).origin}/__harness/dir/${token}/`;
  }

  /**
   * Receives events the page sends with `globalThis.__avatarmeEvent(value)` (progress reports of
   * long jobs); one handler per page.
   */
  async onEvent(handler: (value: unknown) => void): Promise<void> {
    this.eventHandler = handler;
    if (!this.eventExposed) {
      this.eventExposed = true;
      await this.page.exposeFunction('__avatarmeEvent', (v: unknown) => this.eventHandler?.(v));
    }
  }

  get adapterLine(): string {
    const a = this.adapter;
    return `adapter: ${a.vendor || '?'} / ${a.architecture || '?'}${a.description ? ` (${a.description})` : ''}`;
  }

  /** Page console output collected so far (useful when a call fails). */
  get console(): readonly string[] {
    return this.consoleLines;
  }

  /**
   * Runs `exportName(device, args)` from `module` in the page. Typed arrays in args and result travel
   * as binary. A timeout fails the call and reloads the page for the next one.
   */
  async call<T = unknown>(
    module: string | URL,
    exportName: string,
    args: unknown = {},
    opts: CallOptions = {},
  ): Promise<T> {
    if (this.broken) await this.load(120_000);
    const timeoutMs = opts.timeoutMs ?? 240_000;
    const encoded = await encodeValue(args, async (b) => this.store.put(b));
    const path = pagePath(module);
    try {
      const result = await withTimeout(
        this.page.evaluate((p, f, a) => (window as any).__harness.call(p, f, a), path, exportName, encoded),
        timeoutMs,
        `${exportName} in ${path}`,
      );
      return (await decodeValue(result, async (id) => this.store.take(id))) as T;
    } catch (e) {
      if (e instanceof TimeoutError) this.broken = e.message;
      const msg = (e as Error).message.replace(/^Error: /, '');
      throw new Error(msg.split('\n    at ')[0], { cause: e });
    }
  }

  /**
   * The exports of a page module, typed from the module itself:
   * `page.module<typeof import('./foo.gpu.ts')>(new URL('./foo.gpu.ts', import.meta.url)).fn(args)`.
   */
  module<M>(module: string | URL): PageModule<M> {
    return pageModuleProxy<M>((name, args, options) => this.call(module, name, args, options));
  }

  async screenshot(path: `${string}.png`): Promise<void> {
    await this.page.screenshot({ path });
  }

  async close(): Promise<void> {
    if (this.sharedParts) {
      await this.sharedParts.context.close().catch(() => {});
      await this.browser.disconnect().catch(() => {});
      await this.sharedParts.storeServer.close();
      this.store.clear();
      return;
    }
    await this.browser.close().catch(() => {});
    this.releaseProfile?.();
    await this.server.close();
    this.store.clear();
  }
}
