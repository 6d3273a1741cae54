/** The eval's summary table (pure): per method, the mean of each metric over the photos. */
import { itaBin, ITA_BINS, mean, median } from './metrics.ts';
import type { MethodScore } from './score.ts';

export interface PhotoRecord {
  subject: string;
  pose: { yaw: number; pitch: number };
  subjectIta: number;
  scores: Record<string, MethodScore>;
  failed: Record<string, string>;
}

const ROWS: [string, (s: MethodScore) => number | null, number][] = [
  ['shape median (mm)', (s) => s.shape.medianMm, 2],
  ['shape mean (mm, capped 20)', (s) => s.shape.meanMm, 2],
  ['face covered (share)', (s) => s.coverage, 2],
  ['albedo si-RMSE (linear)', (s) => s.albedoSiRmse, 4],
  ['albedo ΔE2000', (s) => s.albedoDeltaE, 2],
  ['albedo |ITA error| (°)', (s) => Math.abs(s.itaErrorDeg), 2],
  ['specular RMSE', (s) => s.specularRmse, 4],
  ['diffuse normals (°)', (s) => s.diffuseNormalDeg, 2],
  ['specular normals (°)', (s) => s.specularNormalDeg, 2],
  ['relight PSNR (dB) ★', (s) => s.relightPsnr, 2],
  ['relight SSIM ★', (s) => s.relightSsim, 4],
  ['identity (FaceRes cos)', (s) => s.identity, 3],
];

export function methodNames(records: PhotoRecord[]): string[] {
  const names: string[] = [];
  for (const r of records) for (const n of Object.keys(r.scores)) if (!names.includes(n)) names.push(n);
  return names;
}

export function summarise(records: PhotoRecord[]) {
  const names = methodNames(records);
  const table: Record<string, Record<string, number>> = {};
  for (const [row, get] of ROWS) {
    table[row] = {};
    for (const n of names) {
      const v = records
        .flatMap((r) => (r.scores[n] ? [get(r.scores[n])] : []))
        .filter((x): x is number => x !== null);
      table[row][n] = mean(v);
    }
  }
  const itaByBin: Record<string, Record<string, { subjects: number; meanAbsItaErrorDeg: number }>> = {};
  for (const b of ITA_BINS) {
    const inBin = records.filter((r) => itaBin(r.subjectIta) === b.name);
    if (!inBin.length) continue;
    itaByBin[b.name] = {};
    for (const n of names) {
      const v = inBin.flatMap((r) => (r.scores[n] ? [Math.abs(r.scores[n].itaErrorDeg)] : []));
      itaByBin[b.name][n] = {
        subjects: new Set(inBin.map((r) => r.subject)).size,
        meanAbsItaErrorDeg: mean(v),
      };
    }
  }
  const shapeMedianOfMedians = Object.fromEntries(
    names.map((n) => [n, median(records.flatMap((r) => (r.scores[n] ? [r.scores[n].shape.medianMm] : [])))]),
  );
  return { names, table, itaByBin, shapeMedianOfMedians, photos: records.length };
}

function fmt(v: number, digits: number): string {
  return Number.isFinite(v) ? v.toFixed(digits) : '—';
}

/** A Markdown table: rows are metrics, columns the methods. */
export function formatTable(s: ReturnType<typeof summarise>): string {
  const head = `| metric (mean over ${s.photos} photos) | ${s.names.join(' | ')} |`;
  const sep = `| --- | ${s.names.map(() => '---:').join(' | ')} |`;
  const rows = ROWS.map(
    ([row, , d]) => `| ${row} | ${s.names.map((n) => fmt(s.table[row][n], d)).join(' | ')} |`,
  );
  const bins = Object.entries(s.itaByBin).map(
    ([bin, per]) =>
      `| |ITA error| ${bin} (${Object.values(per)[0]?.subjects ?? 0} subj.) | ${s.names.map((n) => fmt(per[n]?.meanAbsItaErrorDeg ?? NaN, 2)).join(' | ')} |`,
  );
  return [head, sep, ...rows, ...bins].join('\n');
}

/** Real photos: FaceRes cosine between the photo and each method's avatar alone, per view. */
export type RealPhotoIdentity = Record<
  string,
  Record<string, { frontal: number | null; yaw30: number | null }>
>;

export function formatRealPhotos(real: RealPhotoIdentity): string {
  const cell = (v: number | null) => (v === null ? 'no face' : v.toFixed(3));
  const rows = Object.entries(real).flatMap(([photo, methods]) =>
    Object.entries(methods).map(([m, v]) => `| ${photo} | ${m} | ${cell(v.frontal)} | ${cell(v.yaw30)} |`),
  );
  return ['| photo | avatar | frontal | 30° yaw |', '| --- | --- | ---: | ---: |', ...rows].join('\n');
}
