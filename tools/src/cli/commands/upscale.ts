// A deep subpath: the Node side must not load the GPU half of @avatarme/nets.
import { ESRGAN_MODELS, esrganModel, esrganScales } from '@avatarme/nets/esrgan/registry.ts';
import { withBrowser } from '../browser.ts';
import { defineCommand } from '../command.ts';
import { CliError } from '../errors.ts';
import { readImageFile, writeFileAtomic } from '../files.ts';
import { imageSize } from '../image-size.ts';
import { checkUpscaledSize } from '../limits.ts';
import { checkOutputFile } from '../outputs.ts';
import type { upscaleImage } from '../page/upscale.gpu.ts';
import { OUTPUT_OPTIONS } from '../spec.ts';

type Model = (typeof ESRGAN_MODELS)[number];

/**
 * An UpscalerJS ESRGAN model on our kernels, tiled over the whole image. --raw writes the model's
 * output before clamping and 8-bit rounding, float32 little-endian HWC, on the model's own scale
 * ([0, 255] for slim/medium/default, [0, 1] for thick).
 */
export const upscaleCommand = defineCommand(
  {
    name: 'upscale',
    summary: 'super-resolve an image with an UpscalerJS ESRGAN model on our kernels',
    positional: { name: '<image>', description: 'a PNG, JPEG or WebP image' },
    options: {
      out: { type: 'string', value: '<png>', required: true, description: 'the PNG to write' },
      model: { type: 'string', choices: ESRGAN_MODELS, default: 'esrgan-medium', description: 'the model' },
      scale: {
        type: 'int',
        choices: [2, 3, 4, 8],
        defaultText: '4; 2 for the default model',
        description: 'the factor (the model named default has ×2 only)',
      },
      raw: {
        type: 'string',
        value: '<file.f32>',
        description: "also write the model's unclamped output, float32 little-endian HWC",
      },
      tile: {
        type: 'int',
        value: '<N>',
        min: 1,
        defaultText: 'planned from the adapter',
        description: 'side of the windows the image is processed in',
      },
      ...OUTPUT_OPTIONS,
    },
    examples: [
      'avatarme upscale assets/astronaut.png --out big.png',
      'avatarme upscale small.png --model esrgan-slim --scale 2 --out big.png --raw big.f32',
    ],
  },
  async ({ positional: [input], options: o }, io) => {
    const model = o.model as Model;
    const scale = o.scale ?? (model === 'default' ? 2 : 4);
    const scales = esrganScales(model);
    if (!scales.includes(scale)) throw new CliError(`--scale ${scale}: expected one of ${scales.join(', ')}`);
    if (o.raw !== undefined && o.raw === o.out) throw new CliError(`--raw ${o.raw}: the same file as --out`);
    const info = esrganModel(model, scale);
    const { bytes, format } = readImageFile(input);
    const size = imageSize(bytes, format);
    if (size) checkUpscaledSize(input, size.width, size.height, scale);
    checkOutputFile(o.out, o.force);
    if (o.raw !== undefined) checkOutputFile(o.raw, o.force);

    const t0 = performance.now();
    const r = await withBrowser(io, async (page) => {
      io.info(`${input}: ${model} ×${scale} on ${page.adapterLine}`);
      const res = await page.call<Awaited<ReturnType<typeof upscaleImage>>>(
        new URL('../page/upscale.gpu.ts', import.meta.url),
        'upscaleImage',
        { bytes, name: input, model, scale, raw: o.raw !== undefined, tile: o.tile },
        { timeoutMs: 24 * 3_600_000 },
      );
      return { ...res, adapter: page.adapterLine.replace(/^adapter: /, '') };
    });
    io.info(
      `${input}: ${r.width}×${r.height} → ${r.outWidth}×${r.outHeight} with ${model} ×${scale} (${info.npmPackage}); ${r.windows} window(s) of ${r.tile}², blended on the ${r.blend}, ${r.seconds.toFixed(1)} s`,
    );
    writeFileAtomic(o.out, r.png);
    const outputs = [o.out];
    if (o.raw !== undefined) {
      writeFileAtomic(o.raw, new Uint8Array(r.raw!.buffer, r.raw!.byteOffset, r.raw!.byteLength));
      outputs.push(o.raw);
      io.info(
        `wrote ${o.raw} (float32 LE HWC ${r.outHeight}×${r.outWidth}×3, range [${r.outputRange.join(', ')}])`,
      );
    }
    const elapsedMs = performance.now() - t0;
    io.info(`wrote ${o.out} in ${(elapsedMs / 1000).toFixed(1)} s`);
    return {
      status: 'ok',
      exitCode: 0,
      input,
      outputs,
      model,
      scale,
      size: [r.width, r.height],
      outSize: [r.outWidth, r.outHeight],
      windows: r.windows,
      adapter: r.adapter,
      elapsedMs: Math.round(elapsedMs),
    };
  },
);
