// The photometric head fit's iteration rate: one run = `iterations` Adam steps of fitAbs on the
// bundled ICT head (24,591 vertices, 153 modes) at one render size, a 256² photo; iterations per
// second = iterations / run time. Counted flops are not meaningful here (most of an iteration is
// CPU work around the GPU kernels), so the row reports 0.
import type { BenchCase } from '../case.ts';

const ITERATIONS = 4;

export const fitCases: BenchCase[] = [128, 64].map((render) => ({
  name: `photometric head fit, ${ITERATIONS} iterations at ${render}² (ICT head, 256² photo)`,
  flops: 0,
  page: new URL('./fit.page.ts', import.meta.url),
  args: { modelUrl: '/packages/pipeline/models/ict-head/', photo: 256, render, iterations: ITERATIONS },
  subjects: [{ impl: 'ours', fn: 'fitOurs' }],
}));
