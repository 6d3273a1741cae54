// pix2pixHD rows of issue 5's benchmark: the paper-default GlobalGenerator against the same graph on
// TF.js's WebGPU backend. The page functions also return each side's peak activation bytes.
import type { BenchCase } from '../case.ts';

const page = new URL('./pix2pixhd.page.ts', import.meta.url);

/** Multiply-adds of GlobalGenerator(ngf 64, 4 downsamplings, 9 blocks, 3→3) on an s×s input, ×2. */
function globalGeneratorFlops(s: number, cin = 3, cout = 3, ngf = 64, nd = 4, nb = 9): number {
  let macs = s * s * 49 * cin * ngf; // 7×7 stem
  for (let i = 0; i < nd; i++) macs += (s / 2 ** (i + 1)) ** 2 * 9 * ngf * 2 ** i * ngf * 2 ** (i + 1);
  const dim = ngf * 2 ** nd;
  macs += nb * 2 * (s / 2 ** nd) ** 2 * 9 * dim * dim;
  // Transposed convs: each output pixel receives (3/2)² taps on average.
  for (let j = 0; j < nd; j++) {
    const c = dim / 2 ** j;
    macs += (s / 2 ** (nd - j - 1)) ** 2 * 2.25 * c * (c / 2);
  }
  macs += s * s * 49 * ngf * cout; // 7×7 head
  return 2 * macs;
}

const generator = (s: number): BenchCase => ({
  name: `pix2pixHD GlobalGenerator ngf 64, 4 down, 9 blocks, ${s}×${s}`,
  flops: globalGeneratorFlops(s),
  page,
  args: { options: { ngf: 64, n_downsampling: 4, n_blocks: 9, norm: 'instance' }, x: [1, s, s, 3] },
  subjects: [
    { impl: 'ours', fn: 'generatorOurs' },
    { impl: 'tfjs-webgpu', fn: 'generatorTf' },
  ],
});

export const pix2pixhdCases: BenchCase[] = [generator(256), generator(512)];
