import { withBrowser } from '../browser.ts';
import { defineCommand } from '../command.ts';
import { writeFileAtomic } from '../files.ts';
import { checkOutputFile } from '../outputs.ts';
import { readPhoto } from '../photo.ts';
import { OUTPUT_OPTIONS } from '../spec.ts';

export const FILTERS = ['sobel', 'blur', 'sharpen'] as const;

/** One 3×3 convolution over a photo on our kernels: the smallest end-to-end check of the GPU path. */
export const filterCommand = defineCommand(
  {
    name: 'filter',
    summary: 'apply a 3×3 filter to a photo on the GPU (a quick check that WebGPU works)',
    positional: { name: '<image>', description: 'a PNG, JPEG or WebP photo' },
    options: {
      kernel: { type: 'string', choices: FILTERS, default: 'sobel', description: 'the filter' },
      out: { type: 'string', value: '<png>', required: true, description: 'the PNG to write' },
      ...OUTPUT_OPTIONS,
    },
    examples: ['avatarme filter assets/astronaut.png --kernel blur --out blurred.png'],
  },
  async ({ positional: [input], options: { kernel, out, force } }, io) => {
    const { bytes } = readPhoto(input);
    checkOutputFile(out, force);
    const t0 = performance.now();
    const r = await withBrowser(
      io,
      async (page) => {
        const res = await page.call<{ png: Uint8Array; width: number; height: number }>(
          new URL('../page/filter.gpu.ts', import.meta.url),
          'filterImage',
          { bytes, name: input, kernel },
        );
        io.info(`${input}: ${res.width}×${res.height}, ${kernel} on ${page.adapterLine}`);
        return { ...res, adapter: page.adapterLine.replace(/^adapter: /, '') };
      },
      'filter',
    );
    writeFileAtomic(out, r.png);
    const elapsedMs = performance.now() - t0;
    io.info(`wrote ${out} in ${(elapsedMs / 1000).toFixed(1)} s`);
    return {
      status: 'ok',
      exitCode: 0,
      input,
      outputs: [out],
      width: r.width,
      height: r.height,
      adapter: r.adapter,
      elapsedMs: Math.round(elapsedMs),
    };
  },
);
