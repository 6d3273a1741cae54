// The kept browser: one Chromium with the CLI's built page and its GPUDevice, kept between runs of
// the CLI so that a second run pays neither Chromium's start nor the page load nor the pipeline
// compiles of the first. Started by the CLI (client.ts) as a detached process:
//   node --import tsx daemon.ts <bundle dir> <socket> <idle ms> <profile dir>
// It serves one call at a time on a local socket, exits after <idle ms> without a call, when asked to
// quit, and when its page stops answering.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { GpuPage } from '@avatarme/browser-runtime';
import { programsFile, readPrograms, writePrograms } from '../programs-file.ts';
import { encodeFrame, FrameReader, type Message } from './frames.ts';

const [bundleDir, socketPath, idleArg, profileDir] = process.argv.slice(2);
const idleMs = Number(idleArg);
const SESSION_MODULE = new URL('../page/session.gpu.ts', import.meta.url);

/** Placeholder URLs the client hands out for directories (client.ts): mapped to this page's own. */
const DIR_PLACEHOLDER = /http:\/\/avatarme-dir\.invalid\/(\d+)\//g;

const log = (line: string) => console.log(`${new Date().toISOString()} ${line}`);

const page = await GpuPage.open({ bundleDir, userDataDir: profileDir }).catch((e: Error) => {
  // Chromium's own words (puppeteer puts its stderr after the first line) say why it did not start.
  const lines = e.message.split('\n').filter((l) => l.trim() && !/TROUBLESHOOTING/.test(l));
  log(`could not open the page: ${lines.join(' | ')}`);
  process.exit(1);
});
// A kept browser killed outright (SIGKILL) leaves its Chromium on the profile; GpuPage stops it.
if (page.timings.orphansStopped)
  log(`stopped ${page.timings.orphansStopped} Chromium processes left on ${profileDir}`);
let runs = 0;

/**
 * Before this kept browser's first run: the pipelines the first run of an earlier kept browser of this
 * page created for the same command, created ahead while the run goes on. Only a run with stages
 * (reconstruct) records where it first needs each and waits there; other commands create on demand.
 */
async function startRecordedPipelines(command: string): Promise<string> {
  const file = programsFile(dirname(profileDir), bundleDir, command);
  const sources = readPrograms(file).filter((s) => s.phase !== undefined);
  if (sources.length) {
    await page.call(SESSION_MODULE, 'startPipelinesAhead', { sources });
    log(`creating ${sources.length} recorded pipelines ahead`);
  }
  return file;
}
let queue: Promise<unknown> = Promise.resolve();
let idleTimer: NodeJS.Timeout | undefined;
let quitting = false;

function armIdle(): void {
  clearTimeout(idleTimer);
  idleTimer = setTimeout(() => void quit(`idle for ${idleMs / 1000} s`), idleMs);
}

async function quit(why: string): Promise<void> {
  if (quitting) return;
  quitting = true;
  log(`exiting: ${why}`);
  clearTimeout(idleTimer);
  server.close();
  rmSync(socketPath, { force: true });
  await page.close().catch(() => {});
  process.exit(0);
}

function readBody(req: IncomingMessage): Promise<Message> {
  return new Promise((ok, fail) => {
    let message: Message | undefined;
    const reader = new FrameReader((m) => (message = m));
    let pending = Promise.resolve();
    req.on('data', (chunk: Buffer) => (pending = pending.then(() => reader.push(chunk))));
    req.on('end', () =>
      pending.then(() => (message ? ok(message) : fail(new Error('kept browser: empty request'))), fail),
    );
    req.on('error', fail);
  });
}

/** `value` with `f` applied to every string in it; typed arrays and other values kept as they are. */
function mapStrings(value: unknown, f: (s: string) => string): unknown {
  if (typeof value === 'string') return f(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, f));
  if (typeof value === 'object' && value !== null && !ArrayBuffer.isView(value))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, f)]));
  return value;
}

interface CallRequest {
  module: string;
  exportName: string;
  args: unknown;
  timeoutMs?: number;
  directories: string[];
}

/** Runs one call in the page, streaming its events, then its result or error, as frames. */
async function serveCall(req: CallRequest, res: ServerResponse): Promise<void> {
  const urls = req.directories.map((d) => page.serveDirectory(d));
  const toPage = (v: unknown) =>
    mapStrings(v, (t) => t.replace(DIR_PLACEHOLDER, (_, i: string) => urls[Number(i)]));
  const fromPage = (s: string) =>
    urls.reduce((t, url, i) => t.split(url).join(`http://avatarme-dir.invalid/${i}/`), s);
  const send = async (m: Message) => {
    if (!res.destroyed) res.write(await encodeFrame(m));
  };
  let events = Promise.resolve();
  await page.onEvent((value) => (events = events.then(() => send({ type: 'event', value }))));
  runs++;
  try {
    const recordTo = runs === 1 ? await startRecordedPipelines(req.exportName) : undefined;
    // Each run decides its compile tiers as a fresh process would; pipelines stay compiled.
    await page.call(SESSION_MODULE, 'beginRun', {});
    const result = await page.call(req.module, req.exportName, toPage(req.args), {
      timeoutMs: req.timeoutMs,
    });
    await events;
    const { stats, sources } = await page.pipelines();
    await send({ type: 'result', value: result, pipelines: stats, run: runs });
    // The first run on this device created every pipeline its command uses.
    if (recordTo && sources.length > readPrograms(recordTo).length) writePrograms(recordTo, sources);
  } catch (e) {
    await events;
    const message = fromPage((e as Error).message);
    await send({ type: 'error', message });
    // A lost device or a page that no longer answers serves no later run: the next CLI starts anew.
    const healthy = await Promise.race([
      page.pipelines().then(() => !/GPU device lost/.test(message)),
      new Promise<boolean>((ok) => setTimeout(() => ok(false), 10_000)),
    ]).catch(() => false);
    if (!healthy) setImmediate(() => void quit(`page unusable after: ${message.split('\n')[0]}`));
  } finally {
    await page.onEvent(() => {});
    res.end();
  }
}

const server = createServer((req, res) => {
  armIdle();
  if (req.method === 'GET' && req.url === '/info') {
    res.setHeader('content-type', 'application/json');
    res.end(
      JSON.stringify({ pid: process.pid, bundleDir, adapter: page.adapter, timings: page.timings, runs }),
    );
    return;
  }
  if (req.method === 'POST' && req.url === '/quit') {
    res.end();
    void quit('asked to quit');
    return;
  }
  if (req.method === 'POST' && req.url === '/call') {
    res.setHeader('content-type', 'application/octet-stream');
    const done = queue.then(async () => {
      try {
        await serveCall((await readBody(req)) as unknown as CallRequest, res);
      } catch (e) {
        res.end(await encodeFrame({ type: 'error', message: (e as Error).message }));
      }
      if (!quitting) armIdle();
    });
    queue = done;
    return;
  }
  res.statusCode = 404;
  res.end();
});

rmSync(socketPath, { force: true });
server.listen(socketPath, () => {
  log(`ready: pid ${process.pid}, ${bundleDir}, idle limit ${idleMs / 1000} s`);
  armIdle();
});
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => void quit(signal));
