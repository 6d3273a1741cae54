/**
 * `npm run eval`: subjects with known truth → photos → reconstruct → metrics against the truth, for
 * ours and the baselines, in one Chromium. Table on stdout, reports/eval.json, contact sheets and the
 * subjects' .glb files in reports/eval/.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { withGpuPage } from '../cli/page-session.ts';
import {
  formatRealPhotos,
  formatTable,
  summarise,
  type PhotoRecord,
  type RealPhotoIdentity,
} from './report.ts';
import { melaninForIta } from './skin-model.ts';
import { POSES } from './views.ts';
import type { PhotoResult } from './page/eval.gpu.ts';
import type { ReconstructOptions } from '@avatarme/pipeline';

const USAGE =
  'npm run eval -- [--full] [--subject head.glb]... [--photo <image>] [--model <ICT model dir>] [--out reports] [--uv-size N] [--photo-size N] [--subjects N (0: real photos only)] [--poses N] [--upscale 2|4|8] [--super-resolution atlas|photo] [--completion push-pull|exemplar] [--reflectance analytic|learned|both] [--weights <dir>] [--fit landmarks|photometric|photometric-identity]';

const REPO = resolve(import.meta.dirname, '../../..');
const PAGE = new URL('./page/eval.gpu.ts', import.meta.url);
/** The shipped learned reflectance networks (`--reflectance learned`). */
export const LEARNED_REFLECTANCE_DIR = join(REPO, 'packages/pipeline/models/reflectance');

/** The committed compact head model when present, else the imported one beside the repository. */
function defaultModelDir(): string {
  const inRepo = join(REPO, 'packages/pipeline/models/ict-head');
  return existsSync(join(inRepo, 'model.json')) ? inRepo : resolve(REPO, '../shared/data/ict-face-model');
}

interface Args {
  full: boolean;
  subjects: string[];
  photos: string[];
  model: string;
  out: string;
  uvSize?: number;
  photoSize?: number;
  count?: number;
  poses?: number;
  /** Weights directory of the reflectance networks under test; none: the analytic backend. */
  weights?: string;
  /** `--reflectance both`: "ours" analytic and "ours: learned" with these weights, on the same photos. */
  compareWeights?: string;
  /** Options of our reconstruction under test (the baselines keep theirs). */
  reconstruct: Pick<ReconstructOptions, 'upscale' | 'superResolution' | 'completion' | 'fit'>;
}

function parse(argv: string[]): Args {
  const a: Args = {
    full: false,
    subjects: [],
    photos: [],
    model: defaultModelDir(),
    out: join(REPO, 'reports'),
    reconstruct: {},
  };
  for (let i = 0; i < argv.length; i++) {
    const f = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${f} needs a value\nusage: ${USAGE}`);
      return v;
    };
    if (f === '--full') a.full = true;
    else if (f === '--subject') a.subjects.push(value());
    else if (f === '--photo') a.photos.push(value());
    else if (f === '--model') a.model = value();
    else if (f === '--out') a.out = value();
    else if (f === '--uv-size') a.uvSize = Number(value());
    else if (f === '--photo-size') a.photoSize = Number(value());
    else if (f === '--subjects') {
      const v = value();
      a.count = Number(v);
      if (!Number.isInteger(a.count) || a.count < 0)
        throw new Error(`--subjects ${v}: expected a whole number (0: real photos only)\nusage: ${USAGE}`);
    } else if (f === '--poses') a.poses = Number(value());
    else if (f === '--upscale') a.reconstruct.upscale = Number(value()) as ReconstructOptions['upscale'];
    else if (f === '--super-resolution')
      a.reconstruct.superResolution = value() as ReconstructOptions['superResolution'];
    else if (f === '--completion') a.reconstruct.completion = value() as ReconstructOptions['completion'];
    else if (f === '--fit') a.reconstruct.fit = value() as ReconstructOptions['fit'];
    else if (f === '--weights') a.weights = resolve(value());
    else if (f === '--reflectance') {
      const v = value();
      if (v !== 'analytic' && v !== 'learned' && v !== 'both')
        throw new Error(`--reflectance ${v}: 'analytic', 'learned' or 'both'\nusage: ${USAGE}`);
      a.weights = v === 'learned' ? LEARNED_REFLECTANCE_DIR : undefined;
      a.compareWeights = v === 'both' ? LEARNED_REFLECTANCE_DIR : undefined;
    } else throw new Error(`unknown argument ${f}\nusage: ${USAGE}`);
  }
  if (!existsSync(join(a.model, 'model.json')))
    throw new Error(
      `${a.model}: no model.json (import ICT-FaceKit with: npx avatarme import-face-model <FaceXModel dir> --out <dir>)`,
    );
  for (const s of a.subjects) if (!existsSync(s)) throw new Error(`${s}: no such file`);
  for (const w of [a.weights, a.compareWeights])
    if (w && !existsSync(join(w, 'manifest.json')))
      throw new Error(`${w}: no manifest.json (a reflectance weights directory)`);
  return a;
}

/** ITA° targets spread evenly from very light (60°) to dark (−45°). */
export function itaTargets(n: number): number[] {
  return Array.from({ length: n }, (_, i) => 60 - (105 * i) / Math.max(1, n - 1));
}

async function main(): Promise<void> {
  const args = parse(process.argv.slice(2));
  const sizes = args.full
    ? { subjects: 10, poses: POSES.length, photo: 384, eval: 256, uv: 256, texture: 1024 }
    : { subjects: 6, poses: 2, photo: 256, eval: 160, uv: 128, texture: 512 };
  if (args.count !== undefined) sizes.subjects = args.count;
  if (args.poses) sizes.poses = args.poses;
  const photoSize = args.photoSize ?? sizes.photo;
  const uvSize = args.uvSize ?? sizes.uv;
  const sheets = join(args.out, 'eval');
  mkdirSync(join(sheets, 'subjects'), { recursive: true });
  const t0 = performance.now();
  const log = (m: string) =>
    process.stderr.write(`[eval ${((performance.now() - t0) / 1000).toFixed(0)} s] ${m}\n`);
  const records: PhotoRecord[] = [];
  const timings: Record<string, Record<string, number>> = {};
  let real: RealPhotoIdentity = {};
  await withGpuPage(async (page) => {
    log(page.adapterLine);
    const modelUrl = page.serveDirectory(resolve(args.model));
    const reconstruct: Partial<ReconstructOptions> = {
      ...args.reconstruct,
      weights: args.weights ? page.serveDirectory(args.weights) : undefined,
    };
    const learnedWeights = args.compareWeights ? page.serveDirectory(args.compareWeights) : undefined;
    const subjects: { file: string; bytes: Uint8Array }[] = args.subjects.map((f) => ({
      file: f,
      bytes: new Uint8Array(readFileSync(f)),
    }));
    if (!args.subjects.length) {
      for (const [i, ita] of itaTargets(sizes.subjects).entries()) {
        const seed = i + 1;
        const melanin = melaninForIta(ita, 0.004);
        const { glb } = await page.call<{ glb: Uint8Array }>(
          PAGE,
          'makeSubject',
          { modelUrl, seed, ita, melanin, size: sizes.texture },
          { timeoutMs: 600_000 },
        );
        const file = join(sheets, 'subjects', `subject-${seed}.glb`);
        writeFileSync(file, glb);
        subjects.push({ file, bytes: glb });
        log(`made ${basename(file)} (ITA ${ita.toFixed(0)}°, melanin ${(melanin * 100).toFixed(2)} %)`);
      }
    }
    for (const [si, s] of subjects.entries()) {
      for (const pose of POSES.slice(0, sizes.poses)) {
        const name = `${basename(s.file, '.glb')}-yaw${pose.yaw}-pitch${pose.pitch}`;
        const r = await page.call<PhotoResult>(
          PAGE,
          'evaluatePhoto',
          {
            subject: s.bytes,
            file: s.file,
            pose,
            photoSize,
            evalSize: sizes.eval,
            uvSize,
            modelUrl,
            reconstruct,
            seed: 1000 + si * 10 + pose.yaw,
            // The default set runs baseline (c) on the frontal photos only: a second reconstruct per
            // photo would not fit in 15 minutes; --full runs it on every photo.
            faceMesh: args.full || (pose.yaw === 0 && pose.pitch === 0),
            learnedWeights,
          },
          { timeoutMs: 1_200_000 },
        );
        writeFileSync(join(sheets, `${name}-photo.jpg`), r.photo);
        writeFileSync(join(sheets, `${name}.png`), r.sheet);
        records.push({
          subject: basename(s.file, '.glb'),
          pose,
          subjectIta: r.subjectIta,
          scores: r.scores,
          failed: r.failed,
        });
        timings[name] = r.seconds;
        const o = r.scores.ours;
        log(
          `${name}: ITA ${r.subjectIta.toFixed(0)}°` +
            (o
              ? `, ours shape ${o.shape.medianMm.toFixed(1)} mm, relight ${o.relightPsnr.toFixed(1)} dB`
              : '') +
            (Object.keys(r.failed).length ? `, failed: ${JSON.stringify(r.failed)}` : '') +
            ` (${r.seconds.total.toFixed(0)} s)`,
        );
      }
    }
    // `--photo none` skips the real photos.
    const bundled = ['assets/astronaut.png', 'assets/grace_hopper.jpg', 'assets/mona_lisa.jpg'].map((f) =>
      join(REPO, f),
    );
    const photos = (args.photos.length ? args.photos : bundled).filter((p) => p !== 'none');
    const realResults: RealPhotoIdentity = {};
    for (const p of photos) {
      const res = await page.call<{ identity: RealPhotoIdentity[string]; sheet: Uint8Array }>(
        PAGE,
        'evaluateRealPhoto',
        {
          bytes: new Uint8Array(readFileSync(p)),
          name: p,
          modelUrl,
          uvSize,
          size: 256,
          reconstruct,
          learnedWeights,
        },
        { timeoutMs: 600_000 },
      );
      writeFileSync(join(sheets, `real-${basename(p).replace(/\.[^.]+$/, '')}.png`), res.sheet);
      realResults[basename(p)] = res.identity;
      log(`${basename(p)}: ${JSON.stringify(res.identity)}`);
    }
    real = realResults;
  });
  const summary = summarise(records);
  const seconds = (performance.now() - t0) / 1000;
  const report = {
    what: 'Reconstructions of rendered subjects with known truth, scored in image space from the photo camera and two novel views over the subject face region; photos lit by the HDR environments forest/lobby/sunset (seeded turn, key light with shadow); relighting under the renderer HDR environments studio/city/apartment (none lit a photo) from the two novel views. Real photos: FaceRes cosine between the photo and the avatar alone.',
    settings: {
      full: args.full,
      photoSize,
      uvSize,
      evalSize: sizes.eval,
      subjectTexture: sizes.texture,
      model: args.model,
      reflectance: args.weights
        ? { ours: 'learned', weights: args.weights }
        : { ours: 'analytic', ...(args.compareWeights && { 'ours: learned': args.compareWeights }) },
    },
    seconds,
    summary,
    realPhotos: real,
    photos: records,
    timings,
  };
  writeFileSync(join(args.out, 'eval.json'), JSON.stringify(report, null, 2) + '\n');
  if (records.length) console.log(formatTable(summary));
  if (Object.keys(real).length)
    console.log(
      `\nReal photos, FaceRes cosine between the photo and the avatar alone:\n${formatRealPhotos(real)}`,
    );
  console.log(
    `\n${records.length} photos in ${seconds.toFixed(0)} s; wrote ${join(args.out, 'eval.json')} and ${sheets}/`,
  );
}

main().catch((e) => {
  console.error((e as Error).message);
  process.exit(1);
});
