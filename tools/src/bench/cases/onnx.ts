// ONNX rows: one ONNX file (exported from PyTorch by tools/onnx/export_esrgan.py) through our importer
// and executor, and through ONNX Runtime Web (WebGPU and WASM), in the same page; TF.js WebGPU runs the
// same network from its model.json. Cold rows time the first result in a fresh page.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importOnnx } from '@avatarme/nets/onnx/import.ts';
import { REPO_ROOT } from '@avatarme/browser-runtime';
import type { BenchCase } from '../case.ts';
import { networkFigures } from '../networks.ts';

const page = new URL('./onnx.page.ts', import.meta.url);
const FILE = 'assets/onnx/esrgan-slim-x2.onnx';

function row(size: number): BenchCase {
  const { spec } = importOnnx(new Uint8Array(readFileSync(join(REPO_ROOT, FILE))), FILE);
  const figures = networkFigures(`onnx esrgan-slim ×2 ${size}×${size}`, spec, {
    [spec.inputs[0]]: [1, size, size, 3],
  });
  return {
    name: `onnx esrgan-slim ×2, ${size}×${size}`,
    flops: figures.flops,
    networks: [figures],
    page,
    args: { url: `/${FILE}`, model: 'esrgan-slim', scale: 2, size },
    subjects: [
      { impl: 'ours', fn: 'onnxOurs' },
      { impl: 'tfjs-webgpu', fn: 'esrganTf' },
      { impl: 'ort-webgpu', fn: 'onnxOrtWebGpu' },
      { impl: 'ort-wasm', fn: 'onnxOrtWasm' },
    ],
  };
}

function coldRow(size: number): BenchCase {
  return {
    ...row(size),
    name: `cold: onnx esrgan-slim ×2, ${size}×${size}, first result in a fresh page`,
    fresh: true,
    subjects: [
      { impl: 'ours', fn: 'onnxOursCold' },
      { impl: 'tfjs-webgpu', fn: 'esrganTfCold' },
      { impl: 'ort-webgpu', fn: 'onnxOrtWebGpuCold' },
      { impl: 'ort-wasm', fn: 'onnxOrtWasmCold' },
    ],
  };
}

export const onnxCases: BenchCase[] = [row(64), coldRow(32)];
