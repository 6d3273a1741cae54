// Kernel rows of issue 3's benchmark table, each against TF.js's WebGPU backend.
import type { BenchCase } from '../case.ts';

const page = new URL('./kernels.page.ts', import.meta.url);
const vs = (ours: string, tfjs: string, ortWebGpu: string) => [
  { impl: 'ours', fn: ours },
  { impl: 'tfjs-webgpu', fn: tfjs },
  { impl: 'ort-webgpu', fn: ortWebGpu },
];

export const kernelCases: BenchCase[] = [
  {
    name: 'conv2d 3×3 64→64, 256×256',
    flops: 2 * 256 * 256 * 9 * 64 * 64,
    page,
    args: { x: [1, 256, 256, 64], k: [3, 3, 64, 64], stride: 1 },
    subjects: vs('conv2dOurs', 'conv2dTf', 'conv2dOrt'),
  },
  {
    name: 'conv2d 1×1 64→64, 256×256',
    flops: 2 * 256 * 256 * 64 * 64,
    page,
    args: { x: [1, 256, 256, 64], k: [1, 1, 64, 64], stride: 1 },
    subjects: vs('conv2dOurs', 'conv2dTf', 'conv2dOrt'),
  },
  {
    name: 'depthwise 3×3, 64 ch, 256×256',
    flops: 2 * 256 * 256 * 9 * 64,
    page,
    args: { x: [1, 256, 256, 64], k: [3, 3, 64, 64], stride: 1, depthwise: true },
    subjects: vs('conv2dOurs', 'conv2dTf', 'conv2dOrt'),
  },
  {
    name: 'conv-transpose 4×4 s2 64→64, 128²→256²',
    // Every output pixel receives (4/2)² taps.
    flops: 2 * 256 * 256 * 4 * 64 * 64,
    page,
    args: { x: [1, 128, 128, 64], k: [4, 4, 64, 64], stride: 2, padding: 1 },
    subjects: vs('convTransposeOurs', 'convTransposeTf', 'convTransposeOrt'),
  },
  {
    name: 'bilinear ×8, 16 ch, 64²→512²',
    // Nominal: 4 taps × multiply-add per output value (the op is memory-bound).
    flops: 8 * 512 * 512 * 16,
    page,
    args: { x: [1, 64, 64, 16], factor: 8 },
    subjects: vs('bilinearOurs', 'bilinearTf', 'bilinearOrt'),
  },
];
