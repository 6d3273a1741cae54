import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { onnx } from '@avatarme/kernels/onnx/proto.ts';
import { compareArrays, randomArray, useGpuPage } from '@avatarme/testing';

const gpu = useGpuPage();
const page = gpu.module<typeof import('./onnx-reflectance.gpu.ts')>(
  new URL('./onnx-reflectance.gpu.ts', import.meta.url),
);

// The tiny networks (tools/onnx/make_reflectance_net.py) keep activations O(1) (weights ~ 1/sqrt(fan-in),
// tanh out): sums of ≤ 64 f32 products in another order than ONNX Runtime's MLAS differ by ~1e-7, and
// the chained networks pass that on through Lipschitz factors of a few; 1e-4 leaves margin, while a
// wrong channel order, normalisation, stride phase or seam gives O(0.01..0.1) differences.
const TOL = { atol: 1e-4, rtol: 1e-4 };

describe('learned reflectance from ONNX networks (manifest naming .onnx files)', () => {
  // 40² in 32² windows with 8 texels of overlap and context: windows meet inside the map, and the
  // last ones are partial. The networks' receptive field is ±6 texels, within the context, so the
  // blended windows equal a whole-map run: the reference runs the whole map at once.
  it('the four maps, tiled on WebGPU, match onnxruntime-web (WASM) on the whole map', async () => {
    const size = 40;
    const n = size * size * 3;
    const r = await page.onnxReflectanceVsOrt(
      {
        size,
        tile: 32,
        overlap: 8,
        texture: randomArray(n, 41, 0, 1),
        shapeNormals: randomArray(n, 43, -1, 1),
      },
      { timeoutMs: 170_000 },
    );
    expect(r.plans.map((p) => [p.map, p.tile, p.overlap, p.context, p.windows])).toEqual([
      ['diffuseAlbedo', 32, 8, 8, 4],
      ['specularAlbedo', 32, 8, 8, 4],
      ['diffuseNormals', 32, 8, 8, 4],
      ['specularNormals', 32, 8, 8, 4],
    ]);
    for (const m of r.maps) {
      expect(m.refDims).toEqual([1, 3, size, size]);
      expect(m.channels).toBe(3);
      const cmp = compareArrays(m.ours, m.ref, { ...TOL, label: `${m.map} vs ORT-Web WASM` });
      console.log(cmp.message);
      expect(cmp.ok, cmp.message).toBe(true);
      // Not a constant map: the comparison would pass trivially on one.
      expect(Math.max(...m.ref) - Math.min(...m.ref)).toBeGreaterThan(0.1);
    }
    console.log(`ours: 4 networks × 4 windows in ${r.oursMs.toFixed(0)} ms`);
    expect(r.liveBuffers).toBe(0);
  }, 180_000);

  it('one-line errors naming the file: missing, wrong channels, an op the importer does not lower', async () => {
    const missing = await page.onnxLoadError({ drop: 'specular_albedo.onnx' });
    expect(missing.message).toBe('w/specular_albedo.onnx: no such file');

    const swapped = await page.onnxLoadError({
      manifest: {
        format: 'avatarme-reflectance-weights',
        version: 1,
        networks: { diffuseNormals: { file: 'diffuse_albedo.onnx' } },
      },
    });
    expect(swapped.message).toBe(
      `w/diffuse_albedo.onnx: input "x" takes 3 channels; the manifest's diffuseNormals feeds it 6: diffuseAlbedo (3) + shapeNormals (3)`,
    );

    const net3 = new Uint8Array(
      readFileSync(new URL('../../../../../assets/onnx/reflectance-tiny-3to3.onnx', import.meta.url)),
    );
    const model = onnx.ModelProto.decode(net3);
    model.graph!.node!.find((node) => node.opType === 'Tanh')!.opType = 'Softsign';
    const unsupported = await page.onnxLoadError({
      // A copy: the encoder's array is a view into a larger buffer, which the page call would carry whole.
      files: { 'specular_albedo.onnx': Uint8Array.from(onnx.ModelProto.encode(model).finish()) },
    });
    expect(unsupported.message).toMatch(/^w\/specular_albedo\.onnx: node "Softsign_\d+" \(Softsign\): .+$/);
    console.log(unsupported.message);
    // The networks loaded before the failing one are released with it.
    for (const r of [missing, swapped, unsupported]) expect(r.liveBuffers).toBe(0);
  }, 120_000);
});
