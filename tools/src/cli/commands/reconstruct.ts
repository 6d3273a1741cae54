import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { intFlag, parseArgs } from '../args.ts';
import { CliError } from '../errors.ts';
import { readImageFile, writeFileAtomic } from '../files.ts';
import { withGpuPage } from '../page-session.ts';
import { ProgressReporter } from '../progress.ts';

export const RECONSTRUCT_USAGE =
  'avatarme reconstruct <image> --out <dir> [--uv-size N] [--upscale 1|2|4|8] [--weights <dir>] [--tile P] [--overlap O]';

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

/** `avatarme reconstruct`: a photo in, the face's mesh, maps, renders and report out. */
export async function reconstructCommand(argv: string[]): Promise<void> {
  const args = parseArgs(argv, ['out', 'uv-size', 'upscale', 'weights', 'tile', 'overlap']);
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
  const { bytes } = readImageFile(input);
  checkOutputDir(out);

  const progress = new ProgressReporter();
  const t0 = performance.now();
  const result = await withGpuPage(async (page) => {
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
            weights: weights ? page.serveDirectory(resolve(weights)) : undefined,
          },
        },
        { timeoutMs: 3_600_000 },
      );
    } catch (e) {
      const message = (e as Error).message;
      if (/no face found/.test(message)) throw new CliError(message.replace(/^NoFaceError: /, ''), 2);
      throw e;
    } finally {
      progress.done();
    }
  });
  // Every file lands under its final name only when complete (temporary name, then rename).
  for (const [name, data] of Object.entries(result.files)) writeFileAtomic(join(out, name), data);
  console.log(result.summary);
  console.log(
    `wrote ${Object.keys(result.files).length} files to ${out} in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
}
