// `npm run bench`: every benchmark row in one headless Chromium, ours and the baselines on the same
// adapter in the same run; a table on stdout and reports/bench.json.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { GpuPage, REPO_ROOT } from '@avatarme/browser-runtime';
import { allCases } from './cases/index.ts';
import { formatNetworks } from './networks.ts';
import { formatTable, summarise, type RowResult } from './stats.ts';

const USAGE =
  'usage: npm run bench -- [--filter <substring>] [--runs N] [--warmup N] [--out reports/bench.json]';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      filter: { type: 'string', default: '' },
      runs: { type: 'string', default: '5' },
      warmup: { type: 'string', default: '1' },
      out: { type: 'string', default: 'reports/bench.json' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return void console.log(USAGE);
  const runs = Number(values.runs);
  const warmup = Number(values.warmup);
  if (!(Number.isInteger(runs) && runs >= 1 && Number.isInteger(warmup) && warmup >= 0)) {
    throw new Error(`bench: --runs must be a positive integer and --warmup a non-negative one (${USAGE})`);
  }
  // Comma-separated alternatives: a row runs when its name contains any of them.
  const filters = values.filter.toLowerCase().split(',');
  const cases = allCases.filter((c) => filters.some((f) => c.name.toLowerCase().includes(f)));
  if (cases.length === 0) throw new Error(`bench: no case matches --filter "${values.filter}"`);

  const page = await GpuPage.open();
  const rows: RowResult[] = [];
  try {
    await page.call(new URL('./page/timing.ts', import.meta.url), 'steadyStateTier');
    console.log(page.adapterLine);
    for (const c of cases) {
      const measured = [];
      for (const s of c.subjects) {
        process.stdout.write(`${c.name} · ${s.impl} … `);
        const fresh = c.fresh ? await GpuPage.open() : undefined;
        try {
          const { ms } = await (fresh ?? page).call<{ ms: number[] }>(
            c.page,
            s.fn,
            { args: c.args, warmup: c.fresh ? 0 : warmup, runs: c.fresh ? 1 : runs },
            { timeoutMs: 3_600_000 },
          );
          console.log(ms.map((t) => t.toFixed(0)).join(' ') + ' ms');
          measured.push({ impl: s.impl, ms });
        } catch (e) {
          // A baseline that fails on this adapter is a row entry ('failed'), not the end of the run.
          if (s === c.subjects[0]) throw e;
          console.log(`failed: ${(e as Error).message.split('\n')[0]}`);
          measured.push({ impl: s.impl, ms: [] });
        } finally {
          await fresh?.close();
        }
      }
      rows.push(summarise(c.name, c.flops, measured, c.networks));
    }
  } finally {
    await page.close();
  }

  console.log(`\n${formatTable(rows)}\n`);
  const networks = rows.flatMap((r) => r.networks);
  if (networks.length) console.log(`${formatNetworks(networks)}\n`);
  const out = resolve(REPO_ROOT, values.out);
  await mkdir(dirname(out), { recursive: true });
  const report = {
    date: new Date().toISOString(),
    command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
    adapter: page.adapter,
    runs,
    warmup,
    timing: 'median wall time from recording to queue completion (onSubmittedWorkDone), after warm-up',
    rows,
  };
  await writeFile(`${out}.tmp`, JSON.stringify(report, null, 2));
  await rename(`${out}.tmp`, out);
  console.log(`wrote ${values.out}`);
}

main().catch((e: Error) => {
  console.error(e.message);
  process.exit(1);
});
