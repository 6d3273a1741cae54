/**
 * Where the analytic backend's specular error comes from, on the photos of an eval run: the dump of
 * `albedo-diagnostics.ts dump DIR` (reconstruct's stages up to the unwrap, with the subject's specular
 * strength and α on the same UV layout) is de-lit again here in Node, the specular step runs on it,
 * and its map — with the prior alone and the baselines' flat 0.3 beside it — is scored in UV space by
 * facial region and by texel class (seen with highlight evidence, seen without, completed). Roughness
 * (GGX α) is scored the same way: the eval itself has no roughness metric.
 *
 *   npx tsx tools/src/eval/albedo-diagnostics.ts dump DIR    (opens Chromium; once per eval run)
 *   npx tsx tools/src/eval/specular-diagnostics.ts DIR      (Node only)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { deserialize } from 'node:v8';
import { hairCoverage } from '@avatarme/pipeline/reflectance/hair-coverage.ts';
import { BASE_SKIN_ALPHA, bumpWeight, roughnessPrior } from '@avatarme/pipeline/reflectance/roughness.ts';
import { SKIN_SPECULAR, SKIN_SPECULAR_REGIONS } from '@avatarme/pipeline/reflectance/skin-specular.ts';
import { specularAlbedo, type SpecularInput } from '@avatarme/pipeline/reflectance/specular.ts';
import { TexelSource } from '@avatarme/pipeline/unwrap/texels.ts';
import type { DelightInputsDump } from './page/delight-inputs.gpu.ts';
import { departureCorrelation, splitSpecularError, type SpecularSplit } from './specular-split.ts';
import { delightFromDump } from './delight-rerun.ts';

/** The baselines' flat specular strength (eval.gpu.ts) and the renderer's α without a roughness map. */
const FLAT_SPECULAR = 0.3;
const FLAT_ALPHA = 0.3;

const REGIONS = [
  'nose',
  'forehead',
  'chin',
  'lips',
  'cheek',
  'skin, other',
  'brows',
  'eyes',
  'mouth',
  'other',
];
const CLASSES = ['seen, highlight evidence', 'seen, no highlight', 'completed'];

/** Facial region per texel: the eyeballs, mouth parts and the brows by the surface; skin by the prior's strongest bump. */
function regionOf(d: DelightInputsDump): Uint8Array {
  const S = d.size;
  const base = SKIN_SPECULAR.skin.strength;
  // A bump's region is the one whose table strength it carries (the amplitudes are distinct).
  const bumpRegion = d.specularPrior.map((b) => {
    const r = SKIN_SPECULAR_REGIONS.find(
      (n) => Math.abs(SKIN_SPECULAR[n].strength - base - b.amplitude) < 1e-6,
    );
    return r ? REGIONS.indexOf(r) : REGIONS.indexOf('skin, other');
  });
  const name = (i: number) => (d.region[i] ? d.regionNames[d.region[i] - 1] : '');
  return Uint8Array.from({ length: S * S }, (_, i) => {
    const n = name(i);
    if (n.startsWith('eyeball')) return REGIONS.indexOf('eyes');
    if (n === 'teeth' || n === 'gums' || n === 'mouth') return REGIONS.indexOf('mouth');
    if (d.hair[i]) return REGIONS.indexOf('brows');
    if (n !== 'skin') return REGIONS.indexOf('other');
    const [x, y] = [i % S, Math.floor(i / S)];
    let best = -1;
    let bestW = 0.5;
    d.specularPrior.forEach((b, k) => {
      const w = bumpWeight(b, (x + 0.5) / S, (y + 0.5) / S);
      if (w > bestW) [best, bestW] = [k, w];
    });
    return best < 0 ? REGIONS.indexOf('skin, other') : bumpRegion[best];
  });
}

const f = (x: number, p = 3) => (Number.isFinite(x) ? x.toFixed(p) : '—');

function table(title: string, s: SpecularSplit, candidates: string[]): string[] {
  const lines = [
    `  ${title}: rmse ${candidates.map((c, j) => `${c} ${f(s.rmse[j], 4)}`).join(', ')}`,
    `    ${'class'.padEnd(26)} share   truth   ${candidates.map((c) => `${c.slice(0, 14).padStart(14)} (mean / rmse / % err)`).join('  ')}`,
  ];
  for (const c of s.classes)
    if (c.weight > 0)
      lines.push(
        `    ${c.name.padEnd(26)} ${f(100 * c.share, 1).padStart(5)}  ${f(c.truthMean)}   ${candidates
          .map(
            (_, j) =>
              `${f(c.means[j]).padStart(14)} / ${f(c.rmse[j])} / ${f(100 * c.errorShare[j], 0).padStart(3)}   `,
          )
          .join('  ')}`,
      );
  return lines;
}

export interface SpecularCase {
  d: DelightInputsDump;
  input: SpecularInput;
  /** Scoring weight [S·S]: the subject's face region, less texels no view of the eval shows. */
  weight: Float32Array;
  regions: Uint8Array;
  classes: (evidence: Uint8Array) => Uint8Array;
  /** The brows' hair over the skin around them (hairCoverage). */
  hairRatio: number;
}

/** Re-runs the de-lighting of one dump and builds the specular step's input, as analytic-inputs.ts does. */
export function specularCase(d: DelightInputsDump): SpecularCase {
  const S = d.size;
  const { result: r } = delightFromDump(d);
  const layout = Uint8Array.from(d.source, (s) => (s === TexelSource.outside ? 0 : 1));
  const hair = hairCoverage(S, d.texture, d.hair, r.lighting.weights, r.shading);
  const input: SpecularInput = {
    size: S,
    highlight: r.highlight,
    confidence: d.confidence.map((c, i) => (d.separable[i] ? c : 0)),
    skinWeight: r.lighting.weights,
    normals: d.normals,
    hair: hair.coverage,
    layout,
    mirrorOf: d.mirrorOf,
    prior: d.specularPrior,
    light: r.lighting.coefficients,
    view: d.view,
  };
  const regions = regionOf(d);
  // Eyeballs and mouth parts the photo did not show lie behind lids and lips: no view of the eval sees them.
  const hidden = (i: number) =>
    d.confidence[i] <= 0 && (REGIONS[regions[i]] === 'eyes' || REGIONS[regions[i]] === 'mouth');
  const weight = Float32Array.from(d.face, (v, i) => (v > 0.5 && layout[i] && !hidden(i) ? 1 : 0));
  const classes = (evidence: Uint8Array) =>
    Uint8Array.from({ length: S * S }, (_, i) => (d.confidence[i] > 0 ? (evidence[i] ? 0 : 1) : 2));
  return { d, input, weight, regions, classes, hairRatio: hair.hairRatio };
}

function main(): void {
  const dir = process.argv[2];
  if (!dir) throw new Error('usage: specular-diagnostics.ts DIR (after albedo-diagnostics.ts dump DIR)');
  const inputs = join(dir, 'delight-inputs');
  const files = readdirSync(inputs)
    .filter((x) => x.endsWith('.bin'))
    .sort();
  const candidates = ['ours', 'hair band 0.35', 'prior only', 'flat 0.3'];
  const totals: number[][] = candidates.map(() => []);
  const alphaTotals: number[][] = [[], []];
  const skinTotals: number[][] = candidates.map(() => []);
  const regionTotals: number[][][] = [];
  for (const file of files) {
    const d = deserialize(readFileSync(join(inputs, file))) as DelightInputsDump;
    if (!d.truthSpecular) throw new Error(`${file}: dumped before the specular fields: dump again`);
    const c = specularCase(d);
    const S = d.size;
    const ours = specularAlbedo(c.input);
    const prior = specularAlbedo({ ...c.input, highlight: new Float32Array(S * S) }).specular;
    // The whole brow band at the hair's share of the prior, as before hair coverage was read from the photo.
    const band = specularAlbedo({ ...c.input, hair: d.hair }).specular;
    const flat = new Float32Array(S * S).fill(FLAT_SPECULAR);
    const evidence = Uint8Array.from(c.input.highlight, (m, i) =>
      m > 0 && c.input.skinWeight[i] > 0 ? 1 : 0,
    );
    const maps = [ours.specular, band, prior, flat];
    const byRegion = splitSpecularError(maps, d.truthSpecular, c.weight, c.regions, REGIONS);
    const byClass = splitSpecularError(maps, d.truthSpecular, c.weight, c.classes(evidence), CLASSES);
    const corr = departureCorrelation(ours.specular, prior, d.truthSpecular, c.weight);
    // Whether the prior's regions sit where the subject's are: ln(prior) against ln(truth) over the skin.
    const skin = Float32Array.from(c.weight, (w, i) => (c.regions[i] < REGIONS.indexOf('brows') ? w : 0));
    const base = new Float32Array(S * S).fill(SKIN_SPECULAR.skin.strength);
    const layoutCorr = departureCorrelation(prior, base, d.truthSpecular, skin);
    const alpha = roughnessPrior(S, d.specularPrior).map((r) => r * r);
    const alphaFlat = new Float32Array(S * S).fill(FLAT_ALPHA);
    const alphaSplit = splitSpecularError([alpha, alphaFlat], d.truthAlpha, c.weight, c.regions, REGIONS);
    console.log(
      `${basename(file, '.bin')}: κ ${f(ours.stats.kappa, 3)}, evidence texels ${ours.stats.evidenceTexels}, gain ${f(ours.stats.gain, 2)}, brows' hair / skin ${f(c.hairRatio, 2)}; ` +
        `ln(ours/prior) vs ln(truth/prior): r ${f(corr.correlation, 2)} over ${corr.texels} texels; ` +
        `ln(prior) vs ln(truth) on the skin: r ${f(layoutCorr.correlation, 2)}`,
    );
    for (const line of table('by region', byRegion, candidates)) console.log(line);
    for (const line of table('by texel class', byClass, candidates)) console.log(line);
    for (const line of table(`roughness α (flat ${FLAT_ALPHA}; base ${BASE_SKIN_ALPHA})`, alphaSplit, [
      'ours',
      'flat',
    ]))
      console.log(line);
    byRegion.rmse.forEach((x, j) => totals[j].push(x));
    const noEyes = Float32Array.from(c.weight, (w, i) => (REGIONS[c.regions[i]] === 'eyes' ? 0 : w));
    splitSpecularError(maps, d.truthSpecular, noEyes, c.regions, REGIONS).rmse.forEach((x, j) =>
      skinTotals[j].push(x),
    );
    byRegion.classes.forEach((cl, k) =>
      cl.rmse.forEach((x, j) => {
        regionTotals[k] ??= candidates.map(() => []);
        if (cl.weight > 0) regionTotals[k][j].push(x * x);
      }),
    );
    alphaSplit.rmse.forEach((x, j) => alphaTotals[j].push(x));
  }
  const avg = (x: number[]) => x.reduce((a, b) => a + b, 0) / x.length;
  console.log(
    `\nmean over ${files.length} photos (UV space, the subject's face region as the views show it):`,
  );
  console.log(`  specular rmse: ${candidates.map((c, j) => `${c} ${f(avg(totals[j]), 4)}`).join(', ')}`);
  console.log(
    `  without the eyeballs: ${candidates.map((c, j) => `${c} ${f(avg(skinTotals[j]), 4)}`).join(', ')}`,
  );
  console.log(`  roughness α rmse: ours ${f(avg(alphaTotals[0]), 4)}, flat ${f(avg(alphaTotals[1]), 4)}`);
  console.log('  per region, root of the mean squared error over the photos:');
  REGIONS.forEach((name, k) =>
    console.log(
      `    ${name.padEnd(14)} ${candidates.map((c, j) => `${c} ${f(Math.sqrt(avg(regionTotals[k][j])), 3)}`).join(', ')}`,
    ),
  );
}

if (process.argv[1] && import.meta.url.endsWith(basename(process.argv[1]))) {
  try {
    main();
  } catch (e) {
    console.error((e as Error).message);
    process.exit(1);
  }
}
