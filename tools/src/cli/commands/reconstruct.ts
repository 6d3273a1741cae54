import { statSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { withBrowser, type Page } from '../browser.ts';
import { defineCommand, type CommandIo, type Outcome } from '../command.ts';
import { CliError } from '../errors.ts';
import { expandInputs } from '../inputs.ts';
import { checkMapBuffers, checkMapSize } from '../limits.ts';
import { checkOutputDirectory, writeOutputDirectory } from '../outputs.ts';
import { readPhoto } from '../photo.ts';
import { OUTPUT_OPTIONS } from '../spec.ts';
import { checkWeightsDirectory } from '../weights-check.ts';

/** The reflectance networks the repository ships (`--reflectance learned`). */
const SHIPPED_REFLECTANCE = resolve(import.meta.dirname, '../../../../packages/pipeline/models/reflectance');

/** Every file a reconstruction writes; with --force, any of them this run did not write is removed. */
export const RECONSTRUCT_OUTPUTS = [
  'avatar.glb',
  'diffuse_albedo.png',
  'diffuse_normals.png',
  'mesh.mtl',
  'mesh.obj',
  'overlay.png',
  'render.png',
  'report.json',
  'roughness.png',
  'shape_normals.png',
  'specular_albedo.png',
  'specular_normals.png',
  'uv_texture.png',
  'visibility.png',
];

/** What a reconstruction owns beside RECONSTRUCT_OUTPUTS: every file of renders/ (--renders). */
const OWNED = [...RECONSTRUCT_OUTPUTS, 'renders/'];

/** A head model directory is checked here so a typo fails before the browser starts. */
function checkFaceModelDir(dir: string): void {
  try {
    if (!statSync(join(dir, 'model.json')).isFile()) throw new Error();
  } catch {
    throw new CliError(
      `${dir}: no model.json (import ICT-FaceKit with: avatarme import-face-model <FaceXModel dir> --out <dir>)`,
    );
  }
}

function checkWeightsDir(dir: string): void {
  try {
    if (!statSync(dir).isDirectory()) throw new Error();
  } catch {
    throw new CliError(`${dir}: weights directory not found`);
  }
}

interface Job {
  input: string;
  out: string;
  bytes: Uint8Array;
}

/**
 * Where each photo's files go: `--out` itself for one photo, `--out/<name>` for several, or `--out`
 * with `{name}` replaced by the photo's file name without its extension. Two photos may not share one.
 */
export function outputDirectories(inputs: readonly string[], out: string): string[] {
  const nameOf = (input: string) => basename(input, extname(input));
  const dirs = inputs.map((input) =>
    out.includes('{name}')
      ? out.split('{name}').join(nameOf(input))
      : inputs.length > 1
        ? join(out, nameOf(input))
        : out,
  );
  for (const [i, d] of dirs.entries()) {
    const j = dirs.indexOf(d);
    if (j !== i)
      throw new CliError(
        `${inputs[j]} and ${inputs[i]} would both write ${d} (rename one, or put {name} in --out)`,
      );
  }
  return dirs;
}

/** `avatarme reconstruct`: photos in, per photo the face's mesh, maps, renders and report out. */
export const reconstructCommand = defineCommand(
  {
    name: 'reconstruct',
    summary: "a photo in; the face's (or head's) mesh, reflectance maps, renders and a report out",
    positional: {
      name: '<image>',
      many: true,
      description:
        'PNG, JPEG or WebP photos, or a pattern such as photos/*.jpg; several run in one browser, each into its own folder',
    },
    options: {
      out: {
        type: 'string',
        value: '<dir>',
        required: true,
        description:
          "the output folder; with several photos, one folder per photo inside it; {name} in it becomes the photo's file name without extension",
      },
      'uv-size': {
        type: 'int',
        value: '<N>',
        min: 64,
        max: 4096,
        default: 256,
        description: 'side of the UV maps before upsampling',
      },
      upscale: {
        type: 'int',
        choices: [1, 2, 4, 8],
        default: 1,
        description: 'ESRGAN super-resolution of the maps; the maps are uv-size × upscale, at most 8192',
      },
      shape: {
        type: 'string',
        choices: ['head', 'facemesh'],
        default: 'head',
        description:
          'the shape fitted: the bundled ICT head (the whole head) or the 468-point FaceMesh face only',
      },
      fit: {
        type: 'string',
        choices: ['landmarks', 'photometric', 'photometric-identity'],
        default: 'photometric',
        description:
          'with --shape head: fit to the landmarks, or refine that fit on the photo by differentiable rendering (analysis-by-synthesis), optionally with the FaceRes identity loss',
      },
      'face-model': {
        type: 'string',
        value: '<dir>',
        defaultText: 'the bundled compact ICT head',
        description:
          'your own morphable head model folder for --shape head, e.g. the full ICT model imported with avatarme import-face-model',
      },
      renders: {
        type: 'boolean',
        description:
          'also write renders/<view>_<environment>.png: front, three-quarter and profile under the studio, city and apartment HDR environments',
      },
      'identity-check': {
        type: 'boolean',
        description:
          'also run FaceRes on the photo and the re-render and report their cosine (report.json roundTrip.identitySimilarity): a round-trip check of the fit and unwrap, about a second more',
      },
      reflectance: {
        type: 'string',
        choices: ['analytic', 'learned'],
        default: 'analytic',
        description:
          'the reflectance maps: the analytic backend, or the shipped networks trained on procedural subjects (packages/pipeline/models/reflectance; they lose to the analytic backend on skin tone and relighting, see its MODEL_CARD.md)',
      },
      weights: {
        type: 'string',
        value: '<dir>',
        defaultText: 'the analytic backend, no weights',
        description:
          'reflectance network weights (manifest.json + pix2pixHD safetensors or .onnx files): selects the pix2pixhd backend',
      },
      tile: {
        type: 'int',
        value: '<P>',
        min: 1,
        defaultText: 'planned from the adapter',
        description: 'window side for the image-to-image networks',
      },
      overlap: {
        type: 'int',
        value: '<O>',
        min: 0,
        defaultText: 'planned with the tile',
        description: 'overlap of those windows',
      },
      ...OUTPUT_OPTIONS,
    },
    examples: [
      'avatarme reconstruct assets/astronaut.png --out out',
      'avatarme reconstruct a.jpg b.jpg --out results --uv-size 512 --upscale 4 --json',
      "avatarme reconstruct photo.png --out 'out/{name}' --shape facemesh --force",
    ],
  },
  async ({ positional, options: o }, io) => {
    const inputs = expandInputs(positional);
    if (o.reflectance === 'learned' && o.weights)
      throw new CliError(
        '--reflectance learned runs the shipped networks and --weights your own: pass one of them',
      );
    const weights = o.reflectance === 'learned' ? SHIPPED_REFLECTANCE : o.weights;
    // Every failure that needs no GPU comes first, in milliseconds.
    checkMapSize(o['uv-size'], o.upscale);
    if (o.tile !== undefined && o.overlap !== undefined && o.overlap >= o.tile)
      throw new CliError(`--overlap ${o.overlap}: must be smaller than --tile ${o.tile}`);
    if (o['face-model'] !== undefined && o.shape !== 'head')
      throw new CliError(`--face-model is a head model: it needs --shape head (not --shape ${o.shape})`);
    if (weights) checkWeightsDir(weights);
    const faceModel = o['face-model'];
    if (faceModel) checkFaceModelDir(faceModel);
    const outs = outputDirectories(inputs, o.out);
    const jobs: Job[] = inputs.map((input, i) => {
      const { bytes } = readPhoto(input);
      return { input, out: outs[i], bytes };
    });
    // A bad weights file is found here, before minutes of work.
    if (weights) checkWeightsDirectory(weights);
    for (const job of jobs) checkOutputDirectory(job.out, o.force);

    const t0 = performance.now();
    const { adapter, results } = await withBrowser(
      io,
      async (page) => {
        // Adapter-dependent limits are known now, before any model is loaded.
        checkMapBuffers(o['uv-size'], o.upscale, page.adapter);
        const urls = {
          weights: weights ? page.serveDirectory(resolve(weights)) : undefined,
          faceModel: faceModel ? page.serveDirectory(resolve(faceModel)) : undefined,
        };
        const where = [
          [urls.weights, weights],
          [urls.faceModel, faceModel],
        ] as const;
        io.info(`${jobs.length === 1 ? jobs[0].input : `${jobs.length} photos`} on ${page.adapterLine}`);
        const results: Outcome[] = [];
        for (const job of jobs) {
          results.push(await runOne(page, job, { ...o, ...urls }, where, io));
          if (jobs.length > 1 && results.at(-1)!.error)
            io.error(`avatarme reconstruct: ${results.at(-1)!.error}`);
        }
        return { adapter: page.adapterLine.replace(/^adapter: /, ''), results };
      },
      'reconstruct',
    );
    const elapsedMs = Math.round(performance.now() - t0);
    if (jobs.length === 1 && results[0].exitCode !== 0)
      throw new CliError(String(results[0].error), results[0].exitCode);
    const exitCode = results.some((r) => r.exitCode === 1)
      ? 1
      : results.some((r) => r.exitCode === 2)
        ? 2
        : 0;
    if (jobs.length > 1)
      io.info(
        `${results.filter((r) => r.exitCode === 0).length} of ${jobs.length} photos reconstructed in ${(elapsedMs / 1000).toFixed(1)} s`,
      );
    return {
      status: exitCode === 0 ? 'ok' : exitCode === 2 ? 'no-face' : 'error',
      exitCode,
      adapter,
      elapsedMs,
      inputs: results,
    };
  },
);

/** One photo through the page: its files written (all or none), or the reason it failed. */
async function runOne(
  page: Page,
  job: Job,
  o: {
    'uv-size': number;
    upscale: number;
    shape: 'head' | 'facemesh';
    fit: 'landmarks' | 'photometric' | 'photometric-identity';
    renders: boolean;
    'identity-check': boolean;
    tile?: number;
    overlap?: number;
    weights?: string;
    faceModel?: string;
  },
  where: readonly (readonly [string | undefined, string | undefined])[],
  io: CommandIo,
): Promise<Outcome> {
  const t0 = performance.now();
  try {
    const r = await page.call<{ files: Record<string, Uint8Array>; summary: string }>(
      new URL('../page/reconstruct.gpu.ts', import.meta.url),
      'runReconstruct',
      {
        bytes: job.bytes,
        name: job.input,
        options: {
          uvSize: o['uv-size'],
          upscale: o.upscale,
          shape: o.shape,
          fit: o.fit,
          renders: o.renders,
          identityCheck: o['identity-check'],
          tile: o.tile,
          overlap: o.overlap,
          weights: o.weights,
          faceModel: o.faceModel,
        },
      },
      { timeoutMs: 3_600_000 },
    );
    io.progress.done();
    writeOutputDirectory(job.out, r.files, OWNED);
    const elapsedMs = Math.round(performance.now() - t0);
    io.info(r.summary);
    io.info(`wrote ${Object.keys(r.files).length} files to ${job.out} in ${(elapsedMs / 1000).toFixed(1)} s`);
    const report = JSON.parse(new TextDecoder().decode(r.files['report.json'])) as Record<string, unknown>;
    return {
      input: job.input,
      status: 'ok',
      exitCode: 0,
      out: job.out,
      outputs: Object.keys(r.files).sort(),
      timingsMs: { ...(report.stagesMs as object), total: elapsedMs },
      shape: report.shape,
      quality: { fit: report.fit, roundTrip: report.roundTrip },
    };
  } catch (e) {
    io.progress.done();
    let message = (e as Error).message.split('\n')[0];
    const noFace = /no face found/.test(message);
    // Name the directories, not the URLs the page read them from.
    for (const [url, dir] of where) if (url && dir) message = message.split(url).join(`${resolve(dir)}/`);
    message = message.replace(/^NoFaceError: /, '');
    const exitCode = e instanceof CliError ? e.exitCode : noFace ? 2 : 1;
    return { input: job.input, status: noFace ? 'no-face' : 'error', exitCode, error: message, out: job.out };
  }
}
