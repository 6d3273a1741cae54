// Writes reports/contact-sheet.png: the sample photo reconstructed, then rendered front / 3/4 /
// profile (columns) under each bundled HDR environment (rows) by renderViews; prints the timings.
//   npx tsx tools/src/bench/contact-sheet.ts [photo] [--size 256] [--uv-size 256]
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { GpuPage, REPO_ROOT } from '@avatarme/browser-runtime';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args.splice(i, 2)[1]) : fallback;
};
const size = option('--size', 256);
const uvSize = option('--uv-size', 256);
const photo = resolve(args[0] ?? join(REPO_ROOT, 'assets/astronaut.png'));
const page = await GpuPage.open();
try {
  const r = await page.call<{
    png: Uint8Array;
    layout: { rows: string[]; columns: string[] };
    reconstructMs: number;
    renderMsPerView: number;
    occlusionMs: number;
    environmentMs: number;
    frame512Ms: number;
    vertices: number;
  }>(
    new URL('../../../packages/pipeline/src/skin-render/contact-sheet.gpu.ts', import.meta.url),
    'contactSheet',
    { photo: new Uint8Array(await readFile(photo)), size, uvSize },
    { timeoutMs: 900_000 },
  );
  const out = join(REPO_ROOT, 'reports/contact-sheet.png');
  await mkdir(join(REPO_ROOT, 'reports'), { recursive: true });
  await writeFile(`${out}.tmp`, r.png);
  await rename(`${out}.tmp`, out);
  console.log(`${out}: rows ${r.layout.rows.join(', ')}; columns ${r.layout.columns.join(', ')}`);
  console.log(`adapter: ${page.adapterLine}`);
  console.log(
    `reconstruct ${(r.reconstructMs / 1000).toFixed(1)} s; renderViews ${r.renderMsPerView.toFixed(0)} ms per ${size}² view (occlusion and environments included)`,
  );
  console.log(
    `default render (front, studio, 512², ${r.vertices} vertices): ${r.frame512Ms.toFixed(0)} ms per frame read back (median of 3 after a warm-up); occlusion ${r.occlusionMs.toFixed(0)} ms; environment load + SH9 + prefilter ${r.environmentMs.toFixed(0)} ms`,
  );
} catch (e) {
  console.error(`contact-sheet: ${(e as Error).message}`);
  process.exitCode = 1;
} finally {
  await page.close();
}
