import { parseArgs } from '../args.ts';
import { CliError } from '../errors.ts';
import { readImageFile, writeFileAtomic } from '../files.ts';
import { withGpuPage } from '../page-session.ts';

export const FILTERS = ['sobel', 'blur', 'sharpen'] as const;

/** `avatarme filter <image> --kernel sobel|blur|sharpen --out <png>`: one convolution over a photo. */
export async function filterCommand(argv: string[]): Promise<void> {
  const args = parseArgs(argv, ['kernel', 'out']);
  const [input] = args.positional;
  const out = args.flags.get('out');
  const kernel = args.flags.get('kernel') ?? 'sobel';
  if (!input || !out)
    throw new CliError('usage: avatarme filter <image> --kernel sobel|blur|sharpen --out <png>');
  if (!(FILTERS as readonly string[]).includes(kernel))
    throw new CliError(`--kernel ${kernel}: expected one of ${FILTERS.join(', ')}`);
  const { bytes } = readImageFile(input);
  const t0 = performance.now();
  const png = await withGpuPage(async (page) => {
    const r = await page.call<{ png: Uint8Array; width: number; height: number }>(
      new URL('../page/filter.gpu.ts', import.meta.url),
      'filterImage',
      { bytes, name: input, kernel },
    );
    console.log(`${input}: ${r.width}×${r.height}, ${kernel} on ${page.adapterLine}`);
    return r.png;
  });
  writeFileAtomic(out, png);
  console.log(`wrote ${out} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
