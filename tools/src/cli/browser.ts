import type { CommandIo } from './command.ts';
import type { SessionTimings } from './page-session.ts';
import type { ProgressUpdate } from './progress.ts';

type WithGpuPage = typeof import('./page-session.ts').withGpuPage;
export type Page = Parameters<Parameters<WithGpuPage>[0]>[0];

/** One line of start-up and pipeline figures (AVATARME_TIMINGS=1). */
export function timingsLine(name: string, t: SessionTimings, totalMs: number): string {
  const p = t.pipelines;
  const parts = [
    `build ${t.build} ms${t.builtNow ? ' (built now)' : ''}`,
    `server ${t.server} ms`,
    `chromium ${t.chromium} ms${t.keptProfile ? ' (kept profile)' : ''}`,
    `page ${t.page} ms`,
    `adapter ${t.adapter} ms`,
    `pipelines ahead ${t.pipelinesAhead} ms`,
    p &&
      `pipelines ${p.pipelines} (${p.createdAhead} ahead, ${p.createdOnDemand} on demand in ${p.onDemandMs} ms, ${p.reused} reused)`,
    `total ${Math.round(totalMs)} ms`,
  ];
  return `timings ${name}: ${parts.filter(Boolean).join(', ')}`;
}

/**
 * Runs `fn` with a page in headless Chromium, after every check that needs no browser has passed:
 * the browser runtime is loaded only here, so a rejected command line never pays for it. The page's
 * progress events go to the command's progress line from the first second on.
 */
export async function withBrowser<T>(
  io: CommandIo,
  fn: (page: Page) => Promise<T>,
  name = 'session',
): Promise<T> {
  const t0 = performance.now();
  io.progress.update({ stage: 'browser', fraction: 0, message: 'starting Chromium with WebGPU' });
  const { withGpuPage } = await import('./page-session.ts');
  let timings: SessionTimings | undefined;
  const result = await withGpuPage(
    async (page) => {
      await page.onEvent((v) => io.progress.update(v as ProgressUpdate));
      try {
        return await fn(page);
      } finally {
        io.progress.done();
      }
    },
    {
      runtime: process.env.AVATARME_RUNTIME === 'dev' ? 'dev' : 'built',
      pipelinesAhead: process.env.AVATARME_PIPELINES_AHEAD === '1',
      name,
      onTimings: process.env.AVATARME_TIMINGS ? (t) => (timings = t) : undefined,
    },
  );
  if (timings) console.error(timingsLine(name, timings, performance.now() - t0));
  return result;
}
