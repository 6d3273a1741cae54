import { describe, expect, it } from 'vitest';
import { compareArrays, useGpuPage } from '@avatarme/testing';
import { randomPix2PixHDSafetensors } from '../pix2pixhd/random-weights.ts';

const gpu = useGpuPage();
const page = gpu.module<typeof import('./graph.gpu.ts')>(new URL('./graph.gpu.ts', import.meta.url));

// Fusion moves work into the convolution's epilogue without changing the operations: only batch norm
// folded into the weights rounds differently (~1e-7 relative per layer), far below these bounds.
describe('the executor gives the same outputs with and without fusion', () => {
  it.each([
    { norm: 'batch', netG: 'local', n_blocks_local: 1 },
    { norm: 'instance', netG: 'global' },
  ] as const)('pix2pixHD $netG, $norm norm, 32×32', async (o) => {
    const options = { ngf: 4, n_downsampling: 1, n_blocks: 1, ...o };
    const weights = randomPix2PixHDSafetensors(options, { seed: 9, runningStats: 'random' });
    const r = await page.fusedVsUnfused({ kind: 'pix2pixhd', weights, options, shape: [1, 32, 32, 3] });
    const [name] = Object.keys(r.fused.data);
    const cmp = compareArrays(r.fused.data[name], r.unfused.data[name], { atol: 1e-5, label: name });
    console.log(
      `${cmp.message}; ${r.unfused.nodes} → ${r.fused.nodes} nodes, ${r.unfused.dispatches} → ${r.fused.dispatches} dispatches, planned peak ${r.unfused.plannedPeakBytes} → ${r.fused.plannedPeakBytes} B`,
    );
    expect(cmp.ok, cmp.message).toBe(true);
    expect(r.fused.nodes).toBeLessThan(r.unfused.nodes);
    expect(r.fused.dispatches).toBeLessThan(r.unfused.dispatches);
    expect(r.liveBuffers).toBe(0);
  });

  it('iris (graph model: pads, depthwise, PReLU, residual sums, identities), 64×64', async () => {
    const url = '/node_modules/@vladmandic/human/models/iris.json';
    const r = await page.fusedVsUnfused({ kind: 'graph-model', url, shape: [1, 64, 64, 3], lo: 0, hi: 1 });
    for (const [name, ref] of Object.entries(r.unfused.data)) {
      const range = Math.max(...ref.map(Math.abs), 1e-6);
      const cmp = compareArrays(r.fused.data[name], ref, { atol: 1e-5 * range, label: name });
      console.log(`${cmp.message}; ${r.unfused.dispatches} → ${r.fused.dispatches} dispatches`);
      expect(cmp.ok, cmp.message).toBe(true);
    }
    expect(r.fused.dispatches).toBeLessThan(r.unfused.dispatches);
    expect(r.liveBuffers).toBe(0);
  });
});
