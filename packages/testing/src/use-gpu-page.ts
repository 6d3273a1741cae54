import { afterAll, beforeAll, inject } from 'vitest';
import { GpuPage, pageModuleProxy, type PageModule, type SharedHarness } from '@avatarme/browser-runtime';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The run's shared Chromium and dev server (absent with AVATARME_TEST_BROWSER=per-file). */
    gpuHarness: SharedHarness | undefined;
  }
}

export interface GpuPageHandle {
  /** The open page; throws before beforeAll has run or when it failed. */
  readonly page: GpuPage;
  /**
   * A page module's exports, typed from the module:
   * `gpu.module<typeof import('./foo.gpu.ts')>(new URL('./foo.gpu.ts', import.meta.url))`. Usable at
   * the top of a test file: the page is looked up at each call, once it is open.
   */
  module<M>(url: URL): PageModule<M>;
}

/**
 * One page per test file, opened before the first test and closed after the last: in the run's shared
 * browser (gpu-global-setup.ts) when there is one, else in a browser of its own. The adapter is logged
 * once so every GPU test run says what ran it.
 */
export function useGpuPage(): GpuPageHandle {
  const holder: { page?: GpuPage } = {};
  beforeAll(async () => {
    holder.page = await GpuPage.open({ shared: inject('gpuHarness') });
    console.log(`[gpu] ${holder.page.adapterLine}`);
  }, 180_000);
  afterAll(async () => {
    await holder.page?.close();
  }, 60_000);
  const handle: GpuPageHandle = {
    get page() {
      if (!holder.page) throw new Error('GPU page not open (beforeAll failed)');
      return holder.page;
    },
    module: <M>(url: URL) =>
      pageModuleProxy<M>((name, args, options) => handle.page.call(url, name, args, options)),
  };
  return handle;
}
