// Every benchmark row, in table order. To add rows: write cases/<name>.ts exporting a BenchCase[]
// (and its page module), then append it here.
import type { BenchCase } from '../case.ts';
import { kernelCases } from './kernels.ts';
import { pix2pixhdCases } from './pix2pixhd.ts';
import { faceCases } from './face.ts';
import { esrganCases } from './esrgan.ts';
import { onnxCases } from './onnx.ts';
import { fitCases } from './fit.ts';

export const allCases: BenchCase[] = [
  ...kernelCases,
  ...pix2pixhdCases,
  ...faceCases,
  ...esrganCases,
  ...onnxCases,
  ...fitCases,
];
