import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { GpuPage, OpenTimings } from '@avatarme/browser-runtime';
import { buildPageBundle } from '@avatarme/browser-runtime/without-browser';
import { connectKeptBrowser } from './kept-browser/client.ts';
import { cacheDir, cliPageModules } from './page-cache.js';
import { programsFile as programsFileOf, readPrograms, writePrograms } from './programs-file.ts';

export { cacheDir, cliPageModules };

/** Builds the CLI's page unless a build of the same sources is cached (set-up calls this too). */
export function buildCliPage(): ReturnType<typeof buildPageBundle> {
  return buildPageBundle(cliPageModules(), cacheDir());
}

/** Start-up and pipeline figures of one session, printed with AVATARME_TIMINGS=1. */
export interface SessionTimings extends Partial<OpenTimings> {
  build: number;
  builtNow: boolean;
  pipelines?: Awaited<ReturnType<GpuPage['pipelines']>>['stats'];
  /** The run went to the kept browser: its pid, whether this run started it, and which run this was. */
  keptBrowser?: { pid: number; startedNow: boolean; run: number };
}

/** What a command uses of a page: a GpuPage of its own, or a KeptPage in the kept browser. */
export type CliPage = Pick<
  GpuPage,
  'adapter' | 'adapterLine' | 'call' | 'serveDirectory' | 'onEvent' | 'console'
>;

export interface SessionOptions {
  /**
   * 'built' (the CLI's default): the page built once from cliPageModules and cached, and a kept
   * Chromium profile. 'dev': the Vite dev server transforms the sources on request, so any page
   * module can be called (scripts, and AVATARME_RUNTIME=dev when working on the sources).
   */
  runtime?: 'built' | 'dev';
  /** The command: each keeps its own list of pipelines to create ahead. */
  name?: string;
  /**
   * With a built page: create the pipelines the previous run of this command created, ahead and in
   * parallel (AVATARME_PIPELINES_AHEAD=1). Off by default: on SwiftShader it measured no faster than
   * creating them on first use (README, Start-up).
   */
  pipelinesAhead?: boolean;
  /**
   * With a built page: run in the kept browser (kept-browser/), which waits this many ms for the next
   * run before it exits; 0 (the default here): a browser of this run's own, closed at the end.
   */
  keepMs?: number;
  onTimings?: (t: SessionTimings) => void;
}

/**
 * The CLI runs the product's code where it is meant to run, in a browser's WebGPU; Node only reads
 * and writes files.
 */
export async function withGpuPage<T>(
  fn: (page: CliPage) => Promise<T>,
  { runtime = 'dev', name = 'session', onTimings, pipelinesAhead = false, keepMs = 0 }: SessionOptions = {},
): Promise<T> {
  const cache = cacheDir();
  const bundle = runtime === 'built' ? await buildCliPage() : undefined;
  const kept = bundle && keepMs > 0 ? await connectKeptBrowser(cache, bundle.dir, keepMs) : undefined;
  if (bundle && kept) {
    const result = await fn(kept);
    onTimings?.({
      build: Math.round(bundle.ms),
      builtNow: bundle.built,
      ...(kept.startedNow ? kept.timings : {}),
      keptProfile: kept.timings.keptProfile,
      pipelines: kept.lastPipelines,
      keptBrowser: { pid: kept.pid, startedNow: kept.startedNow, run: kept.lastRun },
    });
    return result;
  }
  const programsFile = bundle && pipelinesAhead && programsFileOf(cache, bundle.dir, name);
  const known = programsFile ? readPrograms(programsFile) : [];
  // Loaded only here: a run in the kept browser never needs puppeteer.
  const { GpuPage } = await import('@avatarme/browser-runtime');
  const page = await GpuPage.open({
    bundleDir: bundle?.dir,
    userDataDir: bundle && join(cache, 'chromium-profile'),
    programs: known,
  });
  try {
    const result = await fn(page);
    if (programsFile || onTimings) {
      const pipelines = await page.pipelines();
      if (programsFile && pipelines.sources.length > known.length) {
        mkdirSync(cache, { recursive: true });
        writePrograms(programsFile, pipelines.sources);
      }
      onTimings?.({
        build: Math.round(bundle?.ms ?? 0),
        builtNow: bundle?.built ?? false,
        ...page.timings,
        pipelines: pipelines.stats,
      });
    }
    return result;
  } finally {
    await page.close();
  }
}
