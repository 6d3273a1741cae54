import type { CommandIo } from './command.ts';
import type { ProgressUpdate } from './progress.ts';

type WithGpuPage = typeof import('./page-session.ts').withGpuPage;
export type Page = Parameters<Parameters<WithGpuPage>[0]>[0];

/**
 * Runs `fn` with a page in headless Chromium, after every check that needs no browser has passed:
 * the browser runtime is loaded only here, so a rejected command line never pays for it. The page's
 * progress events go to the command's progress line from the first second on.
 */
export async function withBrowser<T>(io: CommandIo, fn: (page: Page) => Promise<T>): Promise<T> {
  io.progress.update({ stage: 'browser', fraction: 0, message: 'starting Chromium with WebGPU' });
  const { withGpuPage } = await import('./page-session.ts');
  return withGpuPage(async (page) => {
    await page.onEvent((v) => io.progress.update(v as ProgressUpdate));
    try {
      return await fn(page);
    } finally {
      io.progress.done();
    }
  });
}
