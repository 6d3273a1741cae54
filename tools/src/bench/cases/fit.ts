// The photometric head fit's render rate: one run = fitAbs on the bundled ICT head (153 modes) against
// its own render on a 256² photo, over a schedule of levels; renders per second = renders / run time.
// Each render (an iteration) is a forward and backward pass of the differentiable rasteriser plus CPU
// work: a Levenberg–Marquardt trial or reference on the geometry levels, an Adam step of the light and
// albedo on the GPU. Counted flops are not meaningful here (most of an iteration is CPU work and
// read-backs around the kernels), so the rows report 0.
import type { BenchCase } from '../case.ts';
import type { FitArgs } from './fit.page.ts';

const SCHEDULES: { name: string; levels: FitArgs['levels']; identity?: boolean }[] = [
  {
    name: "the head's default schedule (HEAD_ABS_LEVELS: 8 light-only at 64², 16 at 64², 16 at 128²)",
    levels: 'head',
  },
  { name: 'light and albedo only, 8 renders at 64²', levels: [{ size: 64, iterations: 8, geometry: false }] },
  { name: 'geometry, light and albedo, 8 renders at 128²', levels: [{ size: 128, iterations: 8 }] },
  {
    name: "geometry, light and albedo with FaceRes' identity loss, 8 renders at 128²",
    levels: [{ size: 128, iterations: 8 }],
    identity: true,
  },
];

export const fitCases: BenchCase[] = SCHEDULES.map(({ name, levels, identity }) => ({
  name: `photometric head fit, ${name} (ICT head, 256² photo)`,
  flops: 0,
  page: new URL('./fit.page.ts', import.meta.url),
  args: { modelUrl: '/packages/pipeline/models/ict-head/', photo: 256, levels, identity } satisfies FitArgs,
  subjects: [{ impl: 'ours', fn: 'fitOurs' }],
}));
