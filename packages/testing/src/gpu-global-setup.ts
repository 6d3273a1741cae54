import type { TestProject } from 'vitest/node';
import { BlobStore, launchChromium, startPageServer } from '@avatarme/browser-runtime';
// ProvidedContext's gpuHarness is declared beside its reader.
import type {} from './use-gpu-page.ts';

/**
 * One Chromium and one Vite dev server for every GPU test file of a run: each file opens its page in
 * a browser context of its own (useGpuPage), so launching the browser, starting the server and
 * transforming the shared sources happen once, not once per file (about 10 s a file here).
 * AVATARME_TEST_BROWSER=per-file gives each file its own browser again.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (process.env.AVATARME_TEST_BROWSER === 'per-file') {
    project.provide('gpuHarness', undefined);
    return async () => {};
  }
  const server = await startPageServer(new BlobStore());
  const browser = await launchChromium();
  project.provide('gpuHarness', { wsEndpoint: browser.wsEndpoint(), origin: server.origin });
  return async () => {
    await browser.close().catch(() => {});
    await server.close();
  };
}
