/**
 * Where the analytic backend's diffuse-albedo error comes from, on the photos of an eval run
 * (`npm run eval -- --out DIR`): the de-lighting's inputs are dumped once per photo from the page
 * (reconstruct's stages up to the unwrap, the subject's albedo on the same UV layout), then the
 * de-lighting runs here in Node and its albedo is scored in UV space per texel class and against
 * variants that each undo one suspect (white balance, completion).
 *
 *   npx tsx tools/src/eval/albedo-diagnostics.ts dump DIR [--uv-size 128] [--model DIR]   (opens Chromium)
 *   npx tsx tools/src/eval/albedo-diagnostics.ts score DIR                                 (Node only)
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { TexelSource } from '@avatarme/pipeline/unwrap/texels.ts';
import { withGpuPage } from '../cli/page-session.ts';
import { splitAlbedoError, type AlbedoSplit } from './albedo-split.ts';
import { srgbToLinear } from '@avatarme/pipeline/math/colour.ts';
import { ita, labOf } from './metrics.ts';
import type { DelightInputsDump } from './page/delight-inputs.gpu.ts';
import { delightFromDump } from './delight-rerun.ts';

const REPO = resolve(import.meta.dirname, '../../..');
const PAGE = new URL('./page/delight-inputs.gpu.ts', import.meta.url);

function defaultModel(): string {
  const own = join(REPO, 'packages/pipeline/models/ict-head');
  return existsSync(join(own, 'model.json')) ? own : resolve(REPO, '../shared/data/ict-face-model');
}

async function dump(dir: string, uvSize: number, model: string): Promise<void> {
  const sheets = join(dir, 'eval');
  const photos = readdirSync(sheets).filter((f) => f.endsWith('-photo.jpg'));
  const out = join(dir, 'delight-inputs');
  mkdirSync(out, { recursive: true });
  await withGpuPage(async (page) => {
    const modelUrl = page.serveDirectory(resolve(model));
    for (const p of photos) {
      const subjectName = p.replace(/-yaw.*$/, '');
      const file = join(sheets, 'subjects', `${subjectName}.glb`);
      const d = await page.call<DelightInputsDump>(
        PAGE,
        'delightInputs',
        {
          photo: new Uint8Array(readFileSync(join(sheets, p))),
          subject: new Uint8Array(readFileSync(file)),
          file,
          modelUrl,
          uvSize,
        },
        { timeoutMs: 600_000 },
      );
      writeFileSync(join(out, p.replace(/-photo\.jpg$/, '.bin')), serialize(d));
      console.log(`dumped ${p}`);
    }
  });
}

/** Texel classes of the split: how the de-lighting got each texel's albedo. */
const CLASSES = ['de-lit', 'seen, borrowed', 'mirrored', 'filled', 'band'] as const;

function classOf(d: DelightInputsDump, delit: Uint8Array): Uint8Array {
  return Uint8Array.from(d.source, (s, i) => {
    if (s === TexelSource.outside) return CLASSES.length;
    if (delit[i]) return 0;
    if (d.confidence[i] > 0) return 1;
    if (s === TexelSource.mirrored) return 2;
    if (d.filled[i]) return 3;
    return 4;
  });
}

/** Baseline (a)'s colour: the mean sRGB of the seen texels of the atlas's face cell, decoded. */
function meanSeenColour(d: DelightInputsDump): number[] {
  const S = d.size;
  const s = [0, 0, 0];
  let n = 0;
  for (let y = 0; y < (S * 2) / 3; y++)
    for (let x = 0; x < (S * 2) / 3; x++) {
      const i = y * S + x;
      if (!(d.confidence[i] > 0)) continue;
      for (let k = 0; k < 3; k++) s[k] += Math.round(d.texture[3 * i + k] * 255) / 255;
      n++;
    }
  return s.map((c) => srgbToLinear(c / n));
}

const f = (x: number, p = 3) => (Number.isFinite(x) ? x.toFixed(p) : '—');

function row(name: string, s: AlbedoSplit): string {
  return `  ${name.padEnd(26)} si ${f(s.siRmse, 4)}  ΔE ${f(s.deltaE, 2)}  ITA err ${f(s.itaError, 1).padStart(6)}°`;
}

function score(dir: string): void {
  const inputs = join(dir, 'delight-inputs');
  const files = readdirSync(inputs).filter((x) => x.endsWith('.bin'));
  const totals: Record<string, { si: number[]; de: number[]; ita: number[] }> = {};
  const add = (k: string, s: AlbedoSplit) => {
    totals[k] ??= { si: [], de: [], ita: [] };
    totals[k].si.push(s.siRmse);
    totals[k].de.push(s.deltaE);
    totals[k].ita.push(Math.abs(s.itaError));
  };
  for (const file of files.sort()) {
    const d = deserialize(readFileSync(join(inputs, file))) as DelightInputsDump;
    const S = d.size;
    // As analytic-inputs' delightUnwrap: the skin's contrast against the fit's residual.
    const { result: r, refined } = delightFromDump(d);
    // The face region's skin: in UV space the face region also holds the eyeballs, teeth and gums,
    // which the eval's views barely show (a third of the region's texels).
    const skin = 1 + d.regionNames.indexOf('skin');
    const mask = Float32Array.from(d.face, (v, i) =>
      v > 0.5 && d.source[i] !== TexelSource.outside && d.region[i] === skin ? 1 : 0,
    );
    const classes = classOf(d, r.delit);
    const split = (a: Float32Array) => splitAlbedoError(S, a, d.truth, mask, classes, CLASSES);
    const ours = split(r.albedo);
    const truthMean = [0, 1, 2].map((c) => {
      let s = 0;
      let n = 0;
      for (let i = 0; i < S * S; i++) if (mask[i]) [s, n] = [s + d.truth[3 * i + c], n + 1];
      return s / n;
    });
    const flat = (rgb: readonly number[]) => Float32Array.from({ length: S * S * 3 }, (_, j) => rgb[j % 3]);
    const meanHead = split(flat(meanSeenColour(d)));
    const noWb = split(r.albedo.map((v, j) => v * r.illuminant[j % 3]));
    const texture = split(d.texture.map(srgbToLinear));
    // Ours with the truth's mean colour (per-channel gain): what is left is shading and texture.
    const oursMean = [0, 1, 2].map((c) => {
      let s = 0;
      let n = 0;
      for (let i = 0; i < S * S; i++) if (mask[i]) [s, n] = [s + r.albedo[3 * i + c], n + 1];
      return s / n;
    });
    const oracleGain = split(r.albedo.map((v, j) => (v * truthMean[j % 3]) / oursMean[j % 3]));
    const oursFlat = split(flat(oursMean));
    const truthIta = ita(labOf(truthMean));
    console.log(
      `${basename(file, '.bin')}: truth ITA ${f(truthIta, 1)}°, mean ${truthMean.map((x) => f(x)).join(' ')}; ` +
        `ours mean ${oursMean.map((x) => f(x)).join(' ')}; illuminant ${r.illuminant.map((x) => f(x)).join(' ')}` +
        ` (sclera ${r.neutralIlluminant ? `${r.neutralIlluminant.texels} texels` : 'none'}, highlights ${r.highlightIlluminant ? `${r.highlightIlluminant.texels}` : 'none'}); β ${r.lighting.beta}, σ ${f(r.lighting.sigma)}, sheen ${f(refined.sheen, 4)}, contrast kept ${f(refined.contrastKept, 2)}, clamped ${f(100 * r.stats.clampedShare, 1)} %`,
    );
    for (const [k, s] of [
      ['ours', ours],
      ['a: mean head colour', meanHead],
      ['b: texture', texture],
      ['ours without white balance', noWb],
      ['ours, truth mean colour', oracleGain],
      ['ours flat (own mean)', oursFlat],
    ] as const) {
      console.log(row(k, s));
      add(k, s);
    }
    for (const c of ours.classes)
      if (c.texels)
        console.log(
          `    ${c.name.padEnd(15)} ${f(100 * c.share, 1).padStart(5)} % of face, ${f(100 * c.errorShare, 1).padStart(5)} % of error, rmse ${f(c.rmse, 4)}, ITA ours ${f(c.itaOurs, 1)} truth ${f(c.itaTruth, 1)}, ln(ours/truth) ${c.logRatio.map((x) => f(x, 2)).join(' ')}`,
        );
  }
  console.log(`\nmean over ${files.length} photos (UV space, the skin of the subject's face region):`);
  const avg = (x: number[]) => x.reduce((a, b) => a + b, 0) / x.length;
  for (const [k, t] of Object.entries(totals))
    console.log(
      `  ${k.padEnd(26)} si ${f(avg(t.si), 4)}  ΔE ${f(avg(t.de), 2)}  |ITA err| ${f(avg(t.ita), 2)}°`,
    );
}

async function main(): Promise<void> {
  const [cmd, dir, ...rest] = process.argv.slice(2);
  let uvSize = 128;
  let model = defaultModel();
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '--uv-size') uvSize = Number(rest[++i]);
    else if (rest[i] === '--model') model = rest[++i];
    else throw new Error(`unknown argument ${rest[i]}`);
  }
  if (!dir || (cmd !== 'dump' && cmd !== 'score'))
    throw new Error('usage: albedo-diagnostics.ts dump|score DIR [--uv-size N] [--model DIR]');
  if (cmd === 'dump') await dump(dir, uvSize, model);
  else score(dir);
}

main().catch((e) => {
  console.error((e as Error).message);
  process.exit(1);
});
