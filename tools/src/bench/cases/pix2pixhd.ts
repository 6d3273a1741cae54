// pix2pixHD rows of issue 5's benchmark: the paper-default GlobalGenerator against the same graph on
// TF.js's WebGPU backend. The page functions also return each side's peak activation bytes.
// Deep imports: the Node side must not load the GPU half of @avatarme/nets.
import { pix2pixhdLayout } from '@avatarme/nets/pix2pixhd/architecture.ts';
import { PIX2PIXHD_INPUT, pix2pixhdGraph } from '@avatarme/nets/pix2pixhd/graph.ts';
import type { BenchCase } from '../case.ts';
import { networkFigures } from '../networks.ts';

const page = new URL('./pix2pixhd.page.ts', import.meta.url);

// The paper's GlobalGenerator, built without weights: only the shapes count for the figures.
const OPTIONS = { ngf: 64, n_downsampling: 4, n_blocks: 9, norm: 'instance' } as const;
const SPEC = pix2pixhdGraph(pix2pixhdLayout(OPTIONS), () => new Float32Array(0));

const generator = (s: number): BenchCase => {
  const figures = networkFigures(`pix2pixHD global ngf 64 ${s}×${s}`, SPEC, {
    [PIX2PIXHD_INPUT]: [1, s, s, 3],
  });
  return {
    name: `pix2pixHD GlobalGenerator ngf 64, 4 down, 9 blocks, ${s}×${s}`,
    flops: figures.flops,
    networks: [figures],
    page,
    args: { options: OPTIONS, x: [1, s, s, 3] },
    subjects: [
      { impl: 'ours', fn: 'generatorOurs' },
      { impl: 'tfjs-webgpu', fn: 'generatorTf' },
    ],
  };
};

export const pix2pixhdCases: BenchCase[] = [generator(256), generator(512)];
