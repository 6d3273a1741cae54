// Relative deep import (tsx honours @avatarme/nets' exports map, which has no subpaths): the Node side
// must not load the GPU half of @avatarme/nets.
import { ESRGAN_MODELS, esrganModel, esrganScales } from '@avatarme/nets/esrgan/registry.ts';
import { intFlag, parseArgs } from '../args.ts';
import { CliError } from '../errors.ts';
import { readImageFile, writeFileAtomic } from '../files.ts';
import { withGpuPage } from '../page-session.ts';
import type { upscaleImage } from '../page/upscale.gpu.ts';
import { ProgressReporter } from '../progress.ts';

export const UPSCALE_USAGE = `avatarme upscale <image> --model <${ESRGAN_MODELS.join('|')}> --scale <2|3|4|8> --out <png> [--raw <file.f32>] [--tile N]`;

/**
 * `avatarme upscale`: an UpscalerJS ESRGAN model on our kernels, tiled over the whole image. --raw
 * writes the model's output before clamping and 8-bit rounding, float32 little-endian HWC, on the
 * model's own scale ([0, 255] for slim/medium/default, [0, 1] for thick).
 */
export async function upscaleCommand(argv: string[]): Promise<void> {
  const args = parseArgs(argv, ['model', 'scale', 'out', 'raw', 'tile']);
  const [input] = args.positional;
  const out = args.flags.get('out');
  const model = args.flags.get('model') ?? 'esrgan-medium';
  if (!input || !out || args.positional.length > 1) throw new CliError(`usage: ${UPSCALE_USAGE}`);
  if (!(ESRGAN_MODELS as readonly string[]).includes(model))
    throw new CliError(`--model ${model}: expected one of ${ESRGAN_MODELS.join(', ')}`);
  const scale = intFlag(
    args,
    'scale',
    model === 'default' ? 2 : 4,
    esrganScales(model as (typeof ESRGAN_MODELS)[number]),
  )!;
  const tile = intFlag(args, 'tile', undefined);
  const raw = args.flags.get('raw');
  const info = esrganModel(model, scale);
  const { bytes } = readImageFile(input);
  const t0 = performance.now();
  const progress = new ProgressReporter();
  const r = await withGpuPage(async (page) => {
    await page.onEvent((v) => progress.update(v as { stage: string; fraction: number; message: string }));
    const res = await page.call<Awaited<ReturnType<typeof upscaleImage>>>(
      new URL('../page/upscale.gpu.ts', import.meta.url),
      'upscaleImage',
      { bytes, name: input, model, scale, raw: !!raw, tile },
      { timeoutMs: 24 * 3_600_000 },
    );
    progress.done();
    console.log(
      `${input}: ${res.width}×${res.height} → ${res.outWidth}×${res.outHeight} with ${model} ×${scale} (${info.npmPackage}) on ${page.adapterLine}; ${res.windows} window(s) of ${res.tile}², blended on the ${res.blend}, ${res.seconds.toFixed(1)} s`,
    );
    return res;
  });
  writeFileAtomic(out, r.png);
  if (raw) {
    writeFileAtomic(raw, new Uint8Array(r.raw!.buffer, r.raw!.byteOffset, r.raw!.byteLength));
    console.log(
      `wrote ${raw} (float32 LE HWC ${r.outHeight}×${r.outWidth}×3, range [${r.outputRange.join(', ')}])`,
    );
  }
  console.log(`wrote ${out} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
