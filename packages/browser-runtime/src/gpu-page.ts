import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'puppeteer';
import type { ViteDevServer } from 'vite';
import { launchChromium } from './chromium.ts';
import { pageModuleProxy, type CallOptions, type PageModule } from './page-module.ts';
import { BlobStore, REPO_ROOT, startPageServer } from './server.ts';
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

  private constructor(
    private browser: Browser,
    private page: Page,
    private server: ViteDevServer,
    private origin: string,
    private store: BlobStore,
  ) {}

  static async open(opts: { timeoutMs?: number } = {}): Promise<GpuPage> {
    const timeoutMs = opts.timeoutMs ?? 120_000;
    const store = new BlobStore();
    const { server, origin } = await startPageServer(store);
    let browser: Browser | undefined;
    try {
      browser = await withTimeout(launchChromium(), timeoutMs, 'launching Chromium');
      const page = await browser.newPage();
      const gpu = new GpuPage(browser, page, server, origin, store);
      page.on('console', (m) => gpu.consoleLines.push(`[page ${m.type()}] ${m.text()}`));
      page.on('pageerror', (e) => gpu.consoleLines.push(`[page error] ${(e as Error).message}`));
      await gpu.load(timeoutMs);
      return gpu;
    } catch (e) {
      await browser?.close().catch(() => {});
      await server.close();
      throw e;
    }
  }

  private async load(timeoutMs: number): Promise<void> {
    await withTimeout(
      this.page.goto(`${this.origin}/packages/browser-runtime/src/page/index.html`, { waitUntil: 'load' }),
      timeoutMs,
      'loading the harness page',
    );
    await withTimeout(
      this.page.waitForFunction(() => document.title === 'ready', { timeout: 0 }),
      timeoutMs,
      'harness page start-up',
    ).catch((e) => {
      throw new Error(`${(e as Error).message}\n${this.consoleLines.join('\n')}`);
    });
    this.adapter = (await withTimeout(
      this.page.evaluate(() => (window as any).__harness.adapterInfo()),
      timeoutMs,
      'requesting the WebGPU adapter',
    )) as AdapterInfo;
    this.broken = undefined;
  }

  /** Serves a local directory read-only to the page; returns its URL (ends with '/'). */
  serveDirectory(dir: string): string {
    const token = `d${this.store.directories.size}`;
    this.store.directories.set(token, dir);
    return `${this.origin}/__harness/dir/${token}/`;
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
    await this.browser.close().catch(() => {});
    await this.server.close();
    this.store.clear();
  }
}
