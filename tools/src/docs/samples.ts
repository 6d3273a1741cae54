// Renders a reconstruction for the README: front, three-quarter, profile and back under the asked
// environments, small JPEGs and one contact sheet in docs/samples/ (`npm run samples`).
//   node tools/bin/samples.mjs <reconstruction folder | avatar.glb> [--out docs/samples] [--size 320] [--env studio,city]
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GpuPage, REPO_ROOT } from '@avatarme/browser-runtime';
import { readAvatarGlb } from '@avatarme/pipeline/export/read-glb.ts';
import { upperSphere } from './framing.ts';
import { parseSamplesArgs, SAMPLE_VIEWS, SamplesError } from './samples-args.ts';
import { cheekTexelsPerMm } from './texel-density.ts';

async function main(): Promise<void> {
  const args = parseSamplesArgs(process.argv.slice(2), REPO_ROOT);
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(args.glb));
  } catch (e) {
    throw new SamplesError(`${args.glb}: cannot read (${(e as NodeJS.ErrnoException).code})`);
  }
  const { mesh, maps } = await readAvatarGlb(bytes, args.glb);
  const t0 = performance.now();
  const page = await GpuPage.open();
  let files: Record<string, Uint8Array>;
  try {
    files = await page.call<Record<string, Uint8Array>>(
      new URL('./page/samples.gpu.ts', import.meta.url),
      'renderSamples',
      {
        mesh,
        maps,
        views: SAMPLE_VIEWS,
        environments: args.environments,
        size: args.size,
        framing: upperSphere(mesh.positions),
        quality: args.quality,
        sheetCell: Math.round(args.size * 0.75),
      },
      { timeoutMs: 600_000 },
    );
  } finally {
    await page.close();
  }
  mkdirSync(args.out, { recursive: true });
  for (const [name, data] of Object.entries(files)) {
    const path = join(args.out, name);
    writeFileSync(`${path}.tmp`, data);
    renameSync(`${path}.tmp`, path);
    console.log(`${path}: ${(data.length / 1024).toFixed(1)} KB`);
  }
  console.log(`rendered ${args.glb} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const atlas = maps.diffuseAlbedo.width;
  console.log(
    `head atlas ${atlas}²: ${cheekTexelsPerMm(mesh, atlas).toFixed(2)} texels per mm on the cheek (the face cell's UV area over its surface area there)`,
  );
}

main().catch((e: Error) => {
  console.error(`samples: ${e instanceof SamplesError ? e.message : e.message.split('\n')[0]}`);
  process.exitCode = 1;
});
