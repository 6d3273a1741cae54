import type { CommandIo } from './command.ts';
import type { SessionTimings } from './page-session.ts';
import type { ProgressUpdate } from './progress.ts';

export type { CliPage as Page } from './page-session.ts';
import type { CliPage as Page } from './page-session.ts';

/** Seconds the kept browser waits for the next run (AVATARME_KEEP_BROWSER; 0: no kept browser). */
export const DEFAULT_KEEP_SECONDS = 300;

/**
 * AVATARME_KEEP_BROWSER in seconds; by default DEFAULT_KEEP_SECONDS, but 0 under a test runner
 * (VITEST), whose CLI runs must leave no browser behind unless a test asks for one.
 */
export function keepBrowserMs(env: NodeJS.ProcessEnv = process.env): number {
  const v = env.AVATARME_KEEP_BROWSER ?? (env.VITEST ? '0' : String(DEFAULT_KEEP_SECONDS));
  const seconds = Number(v);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 0;
}

/** One line of start-up and pipeline figures (AVATARME_TIMINGS=1). */
export function timingsLine(name: string, t: SessionTimings, totalMs: number): string {
  const p = t.pipelines;
  const ms = (label: string, v: number | undefined, note = '') =>
    v !== undefined && `${label} ${v} ms${note}`;
  const kept = t.keptBrowser;
  const parts = [
    ms('build', t.build, t.builtNow ? ' (built now)' : ''),
    kept && !kept.startedNow && `kept browser (pid ${kept.pid}, run ${kept.run})`,
    ms('server', t.server),
    ms(
      'chromium',
      t.chromium,
      (t.keptProfile ? ' (kept profile)' : '') + (kept ? ` (kept browser started, pid ${kept.pid})` : ''),
    ),
    ms('page', t.page),
    ms('adapter', t.adapter),
    ms('pipelines ahead', t.pipelinesAhead),
    p &&
      `pipelines ${p.pipelines}${kept ? ' on the device' : ''} (${p.createdAhead} ahead, ${p.createdOnDemand} on demand in ${p.onDemandMs} ms, ${p.reused} reused)`,
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
      keepMs: process.env.AVATARME_RUNTIME === 'dev' ? 0 : keepBrowserMs(),
      name,
      onTimings: process.env.AVATARME_TIMINGS ? (t) => (timings = t) : undefined,
    },
  );
  if (timings) console.error(timingsLine(name, timings, performance.now() - t0));
  return result;
}
