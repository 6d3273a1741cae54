import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
// Relative path: the Node side must not load the pipeline's GPU modules (tsx has no tsconfig paths).
import { checkPhotoSize } from '@avatarme/pipeline/reconstruct/photo.ts';
import { intFlag, parseArgs } from '../args.ts';
import { CliError } from '../errors.ts';
import { readImageFile } from '../files.ts';
import { imageSize } from '../image-size.ts';
import { withGpuPage } from '../page-session.ts';
import { ProgressReporter } from '../progress.ts';
import { checkWeightsDirectory } from '../weights-check.ts';
import { writeAllAtomic } from '../write-all.ts';

export const RECONSTRUCT_USAGE =
  'avatarme reconstruct <image> --out <dir> [--uv-size N] [--upscale 1|2|4|8] [--weights <dir>] [--face-model <dir>] [--tile P] [--overlap O]';

function checkOutputDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (e) {
    throw new CliError(`${dir}: output directory is not writable (${(e as NodeJS.ErrnoException).code})`);
  }
}

function checkWeightsDir(dir: string): void {
  try {
    if (!statSync(dir).isDirectory()) throw new Error();
  } catch {
    throw new CliError(`${dir}: weights directory not found`);
  }
}

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

/** `avatarme reconstruct`: a photo in, the face's mesh, maps, renders and report out. */
export async function reconstructCommand(argv: string[]): Promise<void> {
  const args = parseArgs(argv, ['out', 'uv-size', 'upscale', 'weights', 'face-model', 'tile', 'overlap']);
  const [input] = args.positional;
  const out = args.flags.get('out');
  if (!input || !out) throw new CliError(`usage: ${RECONSTRUCT_USAGE}`);
  const uvSize = intFlag(args, 'uv-size', 256)!;
  if (uvSize < 64 || uvSize > 4096) throw new CliError(`--uv-size ${uvSize}: expected 64 to 4096`);
  const upscale = intFlag(args, 'upscale', 1, [1, 2, 4, 8]) as 1 | 2 | 4 | 8;
  const tile = intFlag(args, 'tile', undefined);
  const overlap = args.flags.has('overlap') ? Number(args.flags.get('overlap')) : undefined;
  if (overlap !== undefined && !(Number.isInteger(overlap) && overlap >= 0))
    throw new CliError(`--overlap ${args.flags.get('overlap')}: expected an integer ≥ 0`);
  const weights = args.flags.get('weights');
  if (weights) checkWeightsDir(weights);
  const faceModel = args.flags.get('face-model');
  if (faceModel) checkFaceModelDir(faceModel);
  const { bytes, format } = readImageFile(input);
  const size = imageSize(bytes, format);
  if (size) {
    try {
      checkPhotoSize(size.width, size.height, input);
    } catch (e) {
      throw new CliError((e as Error).message);
    }
  }
  // Every failure that needs no GPU comes first: a bad weights file is found before minutes of work.
  if (weights) checkWeightsDirectory(weights);
  checkOutputDir(out);

  const progress = new ProgressReporter();
  const t0 = performance.now();
  const result = await withGpuPage(async (page) => {
    const weightsUrl = weights ? page.serveDirectory(resolve(weights)) : undefined;
    const faceModelUrl = faceModel ? page.serveDirectory(resolve(faceModel)) : undefined;
    console.log(`${input} on ${page.adapterLine}`);
    await page.onEvent((p) => progress.update(p as { stage: string; fraction: number; message: string }));
    try {
      return await page.call<{ files: Record<string, Uint8Array>; summary: string }>(
        new URL('../page/reconstruct.gpu.ts', import.meta.url),
        'runReconstruct',
        {
          bytes,
          name: input,
          options: {
            uvSize,
            upscale,
            tile,
            overlap,
            weights: weightsUrl,
            faceModel: faceModelUrl,
          },
        },
        { timeoutMs: 3_600_000 },
      );
    } catch (e) {
      const message = (e as Error).message;
      if (/no face found/.test(message)) throw new CliError(message.replace(/^NoFaceError: /, ''), 2);
      // Name the weights directory, not the URL the page read it from.
      if (weightsUrl && message.includes(weightsUrl))
        throw new CliError(message.split(weightsUrl).join(`${resolve(weights!)}/`));
      throw e;
    } finally {
      progress.done();
    }
  });
  // All files or none, each under its final name only when complete.
  writeAllAtomic(out, result.files);
  console.log(result.summary);
  console.log(
    `wrote ${Object.keys(result.files).length} files to ${out} in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
}
