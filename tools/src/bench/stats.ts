import type { NetworkFigures } from './networks.ts';

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export interface SubjectResult {
  impl: string;
  ms: number[];
  medianMs: number;
  gflops: number;
}

export interface RowResult {
  name: string;
  flops: number;
  subjects: SubjectResult[];
  /** ours' throughput / each baseline's, by baseline impl. */
  speedup: Record<string, number>;
  /** The networks a whole-network row runs (none for kernel rows). */
  networks: NetworkFigures[];
}

export function summarise(
  name: string,
  flops: number,
  runs: { impl: string; ms: number[] }[],
  networks: NetworkFigures[] = [],
): RowResult {
  const subjects = runs.map(({ impl, ms }) => {
    // No times: the subject failed (main.ts); NaN prints as 'failed'.
    const medianMs = ms.length ? median(ms) : NaN;
    return { impl, ms, medianMs, gflops: flops / (medianMs * 1e6) };
  });
  const speedup: Record<string, number> = {};
  for (const s of subjects.slice(1)) speedup[s.impl] = s.medianMs / subjects[0].medianMs;
  return { name, flops, subjects, speedup, networks };
}

/** The row's planned activation peak: its networks run one after another, so the largest of theirs. */
function plannedPeak(r: RowResult): string {
  if (r.networks.length === 0) return '–';
  return (Math.max(...r.networks.map((n) => n.plannedPeakBytes)) / 2 ** 20).toFixed(1);
}

/** A Markdown table (also readable on a terminal): one row per case, ours first. */
export function formatTable(rows: readonly RowResult[]): string {
  const head = [
    'case',
    'GFLOP',
    'planned peak MiB',
    'ours ms',
    'ours GFLOP/s',
    'TF.js ms',
    'TF.js GFLOP/s',
    'speed-up',
  ];
  // Baselines after the first (ONNX Runtime Web beside TF.js): a time and a ratio column each.
  const more = [...new Set(rows.flatMap((r) => r.subjects.slice(2).map((s) => s.impl)))];
  head.push(...more.flatMap((impl) => [`${impl} ms`, `speed-up vs ${impl}`]));
  const lines = [head, head.map(() => '---')];
  for (const r of rows) {
    const [ours, base] = r.subjects;
    const extra = more.flatMap((impl) => {
      const s = r.subjects.find((x) => x.impl === impl);
      if (!s) return ['–', '–'];
      return Number.isNaN(s.medianMs)
        ? ['failed', '–']
        : [s.medianMs.toFixed(1), `${r.speedup[impl].toFixed(2)}×`];
    });
    lines.push([
      r.name,
      (r.flops / 1e9).toFixed(3),
      plannedPeak(r),
      ours.medianMs.toFixed(1),
      ours.gflops.toFixed(2),
      base ? (Number.isNaN(base.medianMs) ? 'failed' : base.medianMs.toFixed(1)) : '–',
      base && !Number.isNaN(base.medianMs) ? base.gflops.toFixed(2) : '–',
      base && !Number.isNaN(base.medianMs) ? `${r.speedup[base.impl].toFixed(1)}×` : '–',
      ...extra,
    ]);
  }
  return lines.map((l) => `| ${l.join(' | ')} |`).join('\n');
}
