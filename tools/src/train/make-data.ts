/**
 * The reflectance networks' training data: procedural subjects (seeds disjoint from the evaluation's)
 * photographed under the training environments with random poses and key lights, reconstructed by
 * the product's stages in Chromium. One file per photo: `<out>/s<subject>-p<photo>.f32` (SAMPLE_PLANES
 * planes of uvSize² float32, training-data.gpu.ts) and `index.jsonl` (one line per file). Existing
 * files are kept, so a run resumes and chunks (`--from`, `--to`) can be run one Chromium at a time.
 */
import { appendFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { withGpuPage } from '../cli/page-session.ts';
import { melaninForIta } from '../eval/skin-model.ts';
import { rng } from '@avatarme/kernels/core/random.ts';
import type { SampleArgs, TrainingEnvironment } from './page/training-data.gpu.ts';

const USAGE =
  'node tools/bin/make-training-data.mjs --out <dir> [--from 0] [--to 10] [--photos-per-subject 2] [--uv-size 128] [--photo-size 256] [--texture 512]';
const REPO = resolve(import.meta.dirname, '../../..');
const PAGE = new URL('./page/training-data.gpu.ts', import.meta.url);
/** Evaluation subjects use seeds 1…N; training subjects start far above. */
export const TRAINING_SEED_BASE = 100_000;
const ENVIRONMENTS: TrainingEnvironment[] = ['bridge', 'dawn', 'hall', 'park', 'warehouse', 'workshop'];

function parse(argv: string[]) {
  const a = { out: '', from: 0, to: 10, perSubject: 2, uvSize: 128, photoSize: 256, texture: 512 };
  const num: Record<string, keyof typeof a> = {
    '--from': 'from',
    '--to': 'to',
    '--photos-per-subject': 'perSubject',
    '--uv-size': 'uvSize',
    '--photo-size': 'photoSize',
    '--texture': 'texture',
  };
  for (let i = 0; i < argv.length; i++) {
    const f = argv[i];
    const v = argv[++i];
    if (v === undefined) throw new Error(`${f} needs a value\nusage: ${USAGE}`);
    if (f === '--out') a.out = v;
    else if (num[f]) (a[num[f]] as number) = Number(v);
    else throw new Error(`unknown argument ${f}\nusage: ${USAGE}`);
  }
  if (!a.out) throw new Error(`--out is required\nusage: ${USAGE}`);
  return a;
}

/** Everything random about subject i, from its seed alone (so any chunk regenerates the same data). */
export function subjectPlan(
  i: number,
  perSubject: number,
  uvSize: number,
  photoSize: number,
  texture: number,
) {
  const seed = TRAINING_SEED_BASE + i;
  const rand = rng(seed * 7919);
  // ITA uniform over the evaluation's range (60° to −45°), each subject its own draw.
  const ita = 60 - 105 * rand();
  const photos: SampleArgs['photos'] = Array.from({ length: perSubject }, (_, k) => {
    const yaw = Math.round(-35 + 70 * rand());
    const pitch = Math.round(-10 + 20 * rand());
    const environment = ENVIRONMENTS[Math.floor(rand() * ENVIRONMENTS.length)];
    // Half the photos keep the environment's own key light; the others turn it to a random
    // direction in front of the face (azimuth ±70°, elevation −10° to 60°).
    const turned = rand() < 0.5;
    const az = ((-70 + 140 * rand()) * Math.PI) / 180;
    const el = ((-10 + 70 * rand()) * Math.PI) / 180;
    const lightDirection: [number, number, number] | undefined = turned
      ? [Math.sin(az) * Math.cos(el), Math.sin(el), Math.cos(az) * Math.cos(el)]
      : undefined;
    return { seed: seed * 10 + k, pose: { yaw, pitch }, environment, lightDirection };
  });
  return {
    subjectSeed: seed,
    ita,
    melanin: melaninForIta(ita, 0.004),
    texture,
    photos,
    photoSize,
    uvSize,
  };
}

async function main(): Promise<void> {
  const a = parse(process.argv.slice(2));
  const out = resolve(a.out);
  mkdirSync(out, { recursive: true });
  const modelDir = join(REPO, 'packages/pipeline/models/ict-head');
  const t0 = performance.now();
  await withGpuPage(async (page) => {
    const modelUrl = page.serveDirectory(modelDir);
    for (let i = a.from; i < a.to; i++) {
      const plan = subjectPlan(i, a.perSubject, a.uvSize, a.photoSize, a.texture);
      const files = plan.photos.map((_, k) => join(out, `s${plan.subjectSeed}-p${k}.f32`));
      if (files.every((f) => existsSync(f))) continue;
      const t = performance.now();
      const r = await page.call<{
        samples: { planes: Uint8Array; failed?: string }[];
        seconds: Record<string, number>;
      }>(PAGE, 'trainingSamples', { ...plan, modelUrl }, { timeoutMs: 900_000 });
      for (const [k, s] of r.samples.entries()) {
        if (s.failed) {
          process.stderr.write(`subject ${plan.subjectSeed} photo ${k}: failed: ${s.failed}\n`);
          continue;
        }
        writeFileSync(files[k], s.planes);
        appendFileSync(
          join(out, 'index.jsonl'),
          JSON.stringify({
            file: `s${plan.subjectSeed}-p${k}.f32`,
            uvSize: plan.uvSize,
            subjectSeed: plan.subjectSeed,
            ita: plan.ita,
            ...plan.photos[k],
          }) + '\n',
        );
      }
      process.stderr.write(
        `subject ${plan.subjectSeed} (ITA ${plan.ita.toFixed(0)}°): ${((performance.now() - t) / 1000).toFixed(1)} s ${JSON.stringify(
          Object.fromEntries(Object.entries(r.seconds).map(([k, v]) => [k, +v.toFixed(1)])),
        )}\n`,
      );
    }
  });
  process.stderr.write(`done in ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
}

main().catch((e) => {
  console.error((e as Error).message);
  process.exit(1);
});
