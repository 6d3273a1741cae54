import { describe, expect, it } from 'vitest';
import { compareArrays, useGpuPage } from '@avatarme/testing';

const gpu = useGpuPage();
const page = gpu.module<typeof import('./onnx.gpu.ts')>(new URL('./onnx.gpu.ts', import.meta.url));

const ESRGAN = '/assets/onnx/esrgan-slim-x2.onnx';

// ESRGAN-slim ×2 takes and gives [0, 255] pixels: f32 sums of up to 576 products (3×3×64) in a different
// order than ONNX Runtime's (im2col + MLAS GEMM) give differences of ~1e-4 there; 1e-3 is an 8-bit
// level / 4000, while a wrong weight layout, padding or upsampling order gives errors of whole levels.
describe('ONNX models on our executor vs onnxruntime-web (WASM)', () => {
  it('esrgan-slim ×2 exported by tools/onnx/export_esrgan.py, 9×7 noise', async () => {
    const r = await page.onnxVsOrt(
      { url: ESRGAN, shape: [1, 3, 7, 9], lo: 0, hi: 255, seed: 23 },
      { timeoutMs: 120_000 },
    );
    expect(r.refDims).toEqual([1, 3, 14, 18]);
    expect(r.oursShape).toEqual([1, 14, 18, 3]);
    const cmp = compareArrays(r.ours, r.ref, { atol: 1e-3, label: 'esrgan-slim x2' });
    console.log(
      `${cmp.message}; ORT-Web WASM ${r.refMs.toFixed(0)} ms, ours ${r.oursMs.toFixed(0)} ms; ${r.importedNodes} → ${r.nodes} nodes after fusion`,
    );
    expect(cmp.ok, cmp.message).toBe(true);
    expect(r.liveBuffers).toBe(0);
  });
});
