/**
 * De-lighting figures on a photo without truth (default: the bundled sample), old and new on the same
 * unwrap: share of layout texels at a clamp, and R² of an SH fit of the de-lit albedo to the shape
 * normals over the seen skin. Writes the two albedos and the separated highlights as PNGs.
 *
 *   npx tsx tools/src/eval/delight-figures.ts [photo] [--uv-size N] [--out dir]
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { withGpuPage } from '../cli/page-session.ts';

const REPO = resolve(import.meta.dirname, '../../..');
const PAGE = new URL('../../../packages/pipeline/src/reflectance/figures.gpu.ts', import.meta.url);

interface Figures {
  size: number;
  before: { clampedShare: number; floorShare: number; rangeShare: number; r2: number; r2Layout: number };
  after: {
    clampedShare: number;
    r2: number;
    r2Layout: number;
    variance: number;
    unrefined: { r2: number; variance: number };
    stats: Record<string, number>;
    beta: number;
    sigma: number;
    illuminant: number[];
    sclera: { rgb: number[]; texels: number } | null;
    highlightLight: { rgb: number[]; texels: number } | null;
    level: number;
    specular: Record<string, number>;
  };
  images: Record<string, Uint8Array>;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  let photo = join(REPO, 'assets/astronaut.png');
  let uvSize = 256;
  let out = join(REPO, 'reports/delight');
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--uv-size') uvSize = Number(argv[++i]);
    else if (argv[i] === '--out') out = argv[++i];
    else photo = argv[i];
  }
  const bytes = new Uint8Array(readFileSync(photo));
  const f = await withGpuPage((page) =>
    page.call<Figures>(PAGE, 'delightFigures', { bytes, uvSize }, { timeoutMs: 900_000 }),
  );
  mkdirSync(out, { recursive: true });
  for (const [name, png] of Object.entries(f.images)) writeFileSync(join(out, `${name}.png`), png);
  const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
  console.log(`${photo} at ${f.size}²`);
  const b = f.before;
  console.log(
    `before: ${pct(b.clampedShare)} of the layout at a clamp (shading floor ${pct(b.floorShare)}, albedo > 1 ${pct(b.rangeShare)}); SH R² of the albedo ${b.r2.toFixed(3)} on the seen skin, ${b.r2Layout.toFixed(3)} on the layout`,
  );
  console.log(
    `after:  ${pct(f.after.clampedShare)} of the layout at a clamp; SH R² of the albedo ${f.after.r2.toFixed(3)} on the seen skin, ${f.after.r2Layout.toFixed(3)} on the layout`,
  );
  const u = f.after.unrefined;
  console.log(
    `after: variance of the albedo on the seen skin ${f.after.variance.toExponential(3)}, SH-explained ${(f.after.r2 * f.after.variance).toExponential(3)}; before the skin's refinement (sheen, contrast) R² ${u.r2.toFixed(3)}, variance ${u.variance.toExponential(3)}, SH-explained ${(u.r2 * u.variance).toExponential(3)}`,
  );
  console.log(
    `after: visibility exponent ${f.after.beta}, robust σ ${f.after.sigma.toFixed(3)}, illuminant ${f.after.illuminant.map((x) => x.toFixed(3)).join(' ')}, ${JSON.stringify(f.after.stats)}`,
  );
  const sc = f.after.sclera;
  console.log(
    sc
      ? `after: sclera's illuminant ${sc.rgb.map((x) => x.toFixed(3)).join(' ')} from ${sc.texels} texels`
      : 'after: no sclera seen (white balance from the skin locus alone)',
  );
  const hl = f.after.highlightLight;
  if (hl)
    console.log(
      `after: highlights' illuminant ${hl.rgb.map((x) => x.toFixed(3)).join(' ')} from ${hl.texels} texels`,
    );
  console.log(`after: level ${f.after.level.toFixed(3)} (the albedo is divided by it)`);
  console.log(`specular: ${JSON.stringify(f.after.specular)}`);
  console.log(`wrote ${out}/{before,after,highlights,texture}.png`);
}

main().catch((e) => {
  console.error((e as Error).message);
  process.exit(1);
});
