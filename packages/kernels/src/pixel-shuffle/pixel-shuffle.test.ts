import { describe, expect, it } from 'vitest';
import { compareArrays, randomArray, useGpuPage } from '@avatarme/testing';
import type { Shape4 } from '../core/tensor.ts';
import type { DepthToSpaceCase } from './pixel-shuffle.gpu.ts';
import { depthToSpaceReference } from './reference.ts';

const gpu = useGpuPage();
const page = gpu.module<typeof import('./pixel-shuffle.gpu.ts')>(
  new URL('./pixel-shuffle.gpu.ts', import.meta.url),
);

// A pure permutation: every value must arrive bit-exact.
const EXACT = { atol: 0 };

const CASES: { shape: Shape4; block: number }[] = [
  { shape: [1, 3, 5, 12], block: 2 }, // C = 3 (not a multiple of 4)
  { shape: [2, 2, 3, 20], block: 2 }, // C = 5, batch 2
  { shape: [1, 3, 2, 9], block: 3 }, // C = 1, block 3
  { shape: [1, 2, 3, 32], block: 2 }, // C = 8
  { shape: [1, 1, 2, 64], block: 4 }, // C = 4, block 4
];

function sizeOf(s: readonly number[]): number {
  return s.reduce((a, b) => a * b, 1);
}

describe('depthToSpace', () => {
  CASES.forEach((cs, k) => {
    for (const order of ['DCR', 'CRD'] as const) {
      it(`${order} block ${cs.block} on ${cs.shape.join('×')} matches the CPU reference`, async () => {
        const x = randomArray(sizeOf(cs.shape), 60 + k);
        const c: DepthToSpaceCase = { x, shape: cs.shape, block: cs.block, order };
        const got = await page.runDepthToSpace(c);
        const ref = depthToSpaceReference(x, cs.shape, cs.block, order);
        expect(got.shape).toEqual(ref.shape);
        const cmp = compareArrays(got.data, ref.data, EXACT);
        expect(cmp.ok, cmp.message).toBe(true);
        expect(got.liveBuffers).toBe(0);
      });
    }
    it(`DCR equals tf.depthToSpace (TF.js CPU) on ${cs.shape.join('×')}, and CRD does not (unless C = 1, where they coincide)`, async () => {
      const x = randomArray(sizeOf(cs.shape), 70 + k);
      const expected = await page.tfDepthToSpace({
        x,
        shape: cs.shape,
        block: cs.block,
      });
      const dcr = await page.runDepthToSpace({
        x,
        shape: cs.shape,
        block: cs.block,
        order: 'DCR',
      });
      const cmp = compareArrays(dcr.data, expected, EXACT);
      expect(cmp.ok, cmp.message).toBe(true);
      const crd = await page.runDepthToSpace({
        x,
        shape: cs.shape,
        block: cs.block,
        order: 'CRD',
      });
      const outC = cs.shape[3] / (cs.block * cs.block);
      expect(compareArrays(crd.data, expected, EXACT).ok).toBe(outC === 1);
    });
  });

  it('CRD follows PyTorch pixel_shuffle: NCHW channel c·s² + i·s + j lands at (h·s+i, w·s+j, c)', async () => {
    // Independent of the reference: every input value encodes its own (channel) index, so the output
    // says where each came from. PyTorch: out[c, h·s+i, w·s+j] = in[c·s² + i·s + j, h, w].
    const [s, c] = [2, 3];
    const cin = c * s * s;
    const x = new Float32Array(cin);
    for (let k = 0; k < cin; k++) x[k] = k;
    const got = await page.runDepthToSpace({
      x,
      shape: [1, 1, 1, cin],
      block: s,
      order: 'CRD',
    });
    for (let i = 0; i < s; i++)
      for (let j = 0; j < s; j++)
        for (let ch = 0; ch < c; ch++) expect(got.data[(i * s + j) * c + ch]).toBe(ch * s * s + i * s + j);
  });

  it('rejects channels that are not a multiple of block², naming the op and shape', async () => {
    await expect(
      page.runDepthToSpace({
        x: new Float32Array(6),
        shape: [1, 1, 1, 6],
        block: 2,
        order: 'DCR',
      }),
    ).rejects.toThrow(/depthToSpace: input \[1, 1, 1, 6\] has 6 channels, not a multiple of block² = 4/);
  });
});
