// A deep subpath: the Node side must not load the GPU half of @avatarme/nets.
import { ESRGAN_MODELS, esrganModel, esrganScales } from '@avatarme/nets/esrgan/registry.ts';
import { describeOnnxImageNet } from '@avatarme/nets/onnx/describe.ts';
import { importOnnx } from '@avatarme/nets/onnx/import.ts';
import { withBrowser } from '../browser.ts';
import { defineCommand } from '../command.ts';
import { CliError } from '../errors.ts';
import { readFileOrFail, readImageFile, writeFileAtomic } from '../files.ts';
import { imageSize } from '../image-size.ts';
import { checkUpscaledSize } from '../limits.ts';
import { checkOutputFile } from '../outputs.ts';
import type { upscaleImage } from '../page/upscale.gpu.ts';
import { OUTPUT_OPTIONS } from '../spec.ts';

type Model = (typeof ESRGAN_MODELS)[number];

/**
 * An ONNX image network given as --model file.onnx, imported and checked here, before the browser
 * starts: one RGB image in, one out, an integer scale.
 */
function onnxModel(file: string, scaleOption: number | undefined) {
  const bytes = readFileOrFail(file);
  let net;
  try {
    net = describeOnnxImageNet(importOnnx(bytes, file), file);
  } catch (e) {
    throw new CliError((e as Error).message);
  }
  if (net.inChannels !== 3 || net.outChannels !== 3) {
    throw new CliError(
      `${file}: ${net.inChannels} channels in, ${net.outChannels} out (an RGB network has 3 and 3)`,
    );
  }
  if (scaleOption !== undefined && scaleOption !== net.scale) {
    throw new CliError(`--scale ${scaleOption}: ${file} upscales ×${net.scale}`);
  }
  return { bytes, scale: net.scale, source: file };
}

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
      model: {
        type: 'string',
        value: '<name|file.onnx>',
        default: 'esrgan-medium',
        description: `the model: ${ESRGAN_MODELS.join(', ')}, or an ONNX image network (file.onnx)`,
      },
      scale: {
        type: 'int',
        choices: [2, 3, 4, 8],
        defaultText: '4; 2 for the default model',
        description: "the factor (the model named default has ×2 only; an ONNX model's own)",
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
      'avatarme upscale small.png --model assets/onnx/esrgan-slim-x2.onnx --out big.png',
    ],
  },
  async ({ positional: [input], options: o }, io) => {
    const model = o.model as Model;
    const onnx = model.endsWith('.onnx') ? onnxModel(model, o.scale) : undefined;
    if (!onnx && !(ESRGAN_MODELS as readonly string[]).includes(model)) {
      throw new CliError(`--model ${model}: expected one of ${ESRGAN_MODELS.join(', ')}, or a .onnx file`);
    }
    const scale = onnx?.scale ?? o.scale ?? (model === 'default' ? 2 : 4);
    const scales = onnx ? [onnx.scale] : esrganScales(model);
    if (!scales.includes(scale)) throw new CliError(`--scale ${scale}: expected one of ${scales.join(', ')}`);
    if (o.raw !== undefined && o.raw === o.out) throw new CliError(`--raw ${o.raw}: the same file as --out`);
    const source = onnx?.source ?? esrganModel(model, scale).npmPackage;
    const { bytes, format } = readImageFile(input);
    const size = imageSize(bytes, format);
    if (size) checkUpscaledSize(input, size.width, size.height, scale);
    checkOutputFile(o.out, o.force);
    if (o.raw !== undefined) checkOutputFile(o.raw, o.force);

    const t0 = performance.now();
    const r = await withBrowser(
      io,
      async (page) => {
        io.info(`${input}: ${model} ×${scale} on ${page.adapterLine}`);
        const res = await page.call<Awaited<ReturnType<typeof upscaleImage>>>(
          new URL('../page/upscale.gpu.ts', import.meta.url),
          'upscaleImage',
          { bytes, name: input, model, scale, raw: o.raw !== undefined, tile: o.tile, onnx: onnx?.bytes },
          { timeoutMs: 24 * 3_600_000 },
        );
        return { ...res, adapter: page.adapterLine.replace(/^adapter: /, '') };
      },
      'upscale',
    );
    io.info(
      `${input}: ${r.width}×${r.height} → ${r.outWidth}×${r.outHeight} with ${model} ×${scale} (${source}); ${r.windows} window(s) of ${r.tile}², blended on the ${r.blend}, ${r.seconds.toFixed(1)} s`,
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
