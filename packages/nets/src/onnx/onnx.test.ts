import { describe, expect, it } from 'vitest';
import { compareArrays, useGpuPage } from '@avatarme/testing';

const gpu = useGpuPage();
const page = gpu.module<typeof import('./onnx.gpu.ts')>(new URL('./onnx.gpu.ts', import.meta.url));

const ESRGAN = '/assets/onnx/esrgan-slim-x2.onnx';
const OPS_MIX = '/assets/onnx/ops-mix.onnx';

// ops-mix (tools/onnx/make_ops_net.py) keeps values O(1) (weights ~ 1/sqrt(fan-in), a tanh in the
// middle): sums of ≤ 72 products in another order than ONNX Runtime's differ by ~1e-6; 1e-4 leaves
// margin, while a wrong coordinate mode, a missing ceil window or a misplaced dilation tap moves
// outputs by O(0.1).
const OPS_MIX_TOL = { atol: 1e-4, rtol: 1e-4 };
// 10×12 input: ceil-mode pooling (3×3, stride 2) gives 5×6 where floor mode gives 4×5.
const OPS_MIX_CASE = {
  url: OPS_MIX,
  shape: [1, 3, 10, 12] as [number, number, number, number],
  lo: -1,
  hi: 1,
  seed: 7,
};

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

  it('ops-mix: ceil-mode MaxPool, dilated ConvTranspose, linear and cubic Resize, Flatten + Gemm', async () => {
    const r = await page.onnxVsOrt(OPS_MIX_CASE, { timeoutMs: 120_000 });
    const [y, z] = r.outputs;
    expect(y.refDims).toEqual([1, 3, 15, 18]);
    expect(y.oursShape).toEqual([1, 15, 18, 3]);
    expect(z.refDims).toEqual([1, 4]);
    for (const o of r.outputs) {
      const cmp = compareArrays(o.ours, o.ref, { ...OPS_MIX_TOL, label: `ops-mix ${o.name}` });
      console.log(`WASM ${cmp.message}`);
      expect(cmp.ok, cmp.message).toBe(true);
    }
    expect(r.liveBuffers).toBe(0);
  });
});

// The same files through ONNX Runtime Web's WebGPU provider (its own GPUDevice on the page's adapter:
// SwiftShader here), in the same page as our executor. Tolerances as above: ORT's WebGPU kernels
// accumulate in f32 in yet another order.
describe('ONNX models on our executor vs onnxruntime-web (WebGPU)', () => {
  it('esrgan-slim ×2, 9×7 noise', async () => {
    const r = await page.onnxVsOrt(
      { url: ESRGAN, shape: [1, 3, 7, 9], lo: 0, hi: 255, seed: 23, provider: 'webgpu' },
      { timeoutMs: 170_000 },
    );
    expect(r.refDims).toEqual([1, 3, 14, 18]);
    const cmp = compareArrays(r.ours, r.ref, { atol: 1e-3, label: 'esrgan-slim x2 vs ORT WebGPU' });
    console.log(`${cmp.message}; ORT-Web WebGPU ${r.refMs.toFixed(0)} ms, ours ${r.oursMs.toFixed(0)} ms`);
    expect(cmp.ok, cmp.message).toBe(true);
  }, 180_000);

  // ORT-Web 1.31.1's WebGPU MaxPool refuses ceil_mode 1 ("ceil_mode output-shape is computed, but
  // ceil_mode kernel execution (padding) is not yet implemented in the WebGPU MaxPool kernel"), so the
  // WebGPU comparison runs ops-mix-floor.onnx, the same network with ceil_mode 0 (ceil mode is checked
  // against the WASM backend above).
  it('ops-mix-floor (ops-mix with ceil_mode 0)', async () => {
    const r = await page.onnxVsOrt(
      { ...OPS_MIX_CASE, url: '/assets/onnx/ops-mix-floor.onnx', provider: 'webgpu' },
      { timeoutMs: 170_000 },
    );
    expect(r.outputs[0].refDims).toEqual([1, 3, 12, 15]);
    for (const o of r.outputs) {
      const cmp = compareArrays(o.ours, o.ref, { ...OPS_MIX_TOL, label: `ops-mix ${o.name} vs ORT WebGPU` });
      console.log(`WebGPU ${cmp.message}`);
      expect(cmp.ok, cmp.message).toBe(true);
    }
  }, 180_000);
});
