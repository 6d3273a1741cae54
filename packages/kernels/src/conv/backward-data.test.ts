import { describe, expect, it } from 'vitest';
import { compareArrays, randomArray, useGpuPage } from '@avatarme/testing';
import type { Shape4 } from '../core/tensor.ts';
import type { Padding } from '../core/types.ts';
import { centralDifferences, dot, maxRelativeError } from '../testing/finite-difference.ts';
import { conv2dBackwardDataReference } from './backward-reference.ts';
import { conv2dReference } from './reference.ts';

const gpu = useGpuPage();
const page = gpu.module<typeof import('./backward-data.gpu.ts')>(
  new URL('./backward-data.gpu.ts', import.meta.url),
);

const size = (s: readonly number[]) => s.reduce((p, q) => p * q, 1);

interface Case {
  name: string;
  xShape: Shape4;
  wShape: [number, number, number, number];
  stride?: [number, number];
  dilation?: [number, number];
  padding: Padding;
  groups?: number;
}

// Every mode of the kernel (dense, depthwise, grouped) with strides, dilations, TF 'same' and
// explicit asymmetric padding, odd sizes and channel counts that leave pad lanes.
const CASES: Case[] = [
  {
    name: 'dense 3×3 stride 2 same (FaceRes stem)',
    xShape: [1, 7, 6, 5],
    wShape: [3, 3, 5, 6],
    stride: [2, 2],
    padding: 'same',
  },
  {
    name: 'dense 1×1, batch 2 (pointwise / matmul)',
    xShape: [2, 3, 4, 9],
    wShape: [1, 1, 9, 7],
    padding: 'valid',
  },
  { name: 'depthwise 3×3 same', xShape: [1, 6, 5, 6], wShape: [3, 3, 1, 6], padding: 'same', groups: 6 },
  {
    name: 'depthwise 3×3 stride 2 same',
    xShape: [1, 7, 7, 8],
    wShape: [3, 3, 1, 8],
    stride: [2, 2],
    padding: 'same',
    groups: 8,
  },
  {
    name: 'depthwise multiplier 2, valid',
    xShape: [1, 5, 6, 3],
    wShape: [3, 2, 1, 6],
    padding: 'valid',
    groups: 3,
  },
  {
    name: 'grouped 3×3 groups 2, dilation 2, padding 2',
    xShape: [1, 7, 6, 6],
    wShape: [3, 3, 3, 4],
    dilation: [2, 2],
    padding: 2,
    groups: 2,
  },
  {
    name: 'dense dilation [2,1] stride [1,2] padding [1,0,2,1]',
    xShape: [1, 6, 7, 3],
    wShape: [2, 3, 3, 5],
    stride: [1, 2],
    dilation: [2, 1],
    padding: [1, 0, 2, 1],
  },
];

function setUp(c: Case, seed: number) {
  const geometry = { stride: c.stride, dilation: c.dilation, padding: c.padding, groups: c.groups };
  const x = randomArray(size(c.xShape), seed);
  const w = randomArray(size(c.wShape), seed + 1);
  const yShape = conv2dReference(x, c.xShape, w, c.wShape, geometry).shape;
  const dy = randomArray(size(yShape), seed + 2);
  return { geometry, x, w, dy, yShape };
}

describe('conv2d input gradient: CPU reference against central differences of conv2dReference', () => {
  CASES.forEach((c, i) => {
    it(c.name, () => {
      const { geometry, x, w, dy } = setUp(c, 4100 + 10 * i);
      const loss = (xs: Float32Array) => dot(dy, conv2dReference(xs, c.xShape, w, c.wShape, geometry).data);
      // The loss is linear in x, so a large step has no truncation error; what is left is the
      // float32 rounding of the reference's outputs (~6e-8 each, summed over ≤ 300 terms of size
      // ≤ 30, divided by the step 1): below 1e-5 of the gradient's scale.
      const fd = centralDifferences(x, loss, 0.5);
      const adj = conv2dBackwardDataReference(dy, c.xShape, w, c.wShape, geometry).data;
      expect(maxRelativeError(adj, fd)).toBeLessThan(1e-5);
    });
  });
});

describe('conv2d input gradient: WGSL against the CPU reference', () => {
  CASES.forEach((c, i) => {
    it(c.name, async () => {
      const { geometry, w, dy, yShape } = setUp(c, 4100 + 10 * i);
      const got = await page.runConv2dBackwardData({
        dy,
        dyShape: yShape,
        xShape: c.xShape,
        w,
        wShape: c.wShape,
        o: geometry,
      });
      const ref = conv2dBackwardDataReference(dy, c.xShape, w, c.wShape, geometry);
      expect(got.shape).toEqual(ref.shape);
      // f32 sums of ≤ 9·7 products of values in [-1, 1], in another order than the float64
      // reference: rounding stays below ~1e-5.
      const cmp = compareArrays(got.data, ref.data, { atol: 1e-5, rtol: 1e-5 });
      expect(cmp.ok, cmp.message).toBe(true);
      expect(got.nonZeroPadLanes).toBe(0);
      expect(got.reusedPoisoned).toBe(true);
      expect(got.liveBuffers).toBe(0);
    });
  });

  it('refuses dy that is not the forward output of the input shape, naming both', async () => {
    const c = CASES[0];
    const { geometry, w } = setUp(c, 4190);
    await expect(
      page.runConv2dBackwardData({
        dy: new Float32Array(1 * 3 * 3 * 6),
        dyShape: [1, 3, 3, 6],
        xShape: c.xShape,
        w,
        wShape: c.wShape,
        o: geometry,
      }),
    ).rejects.toThrow(
      /conv2dBackwardData: dy \[1, 3, 3, 6\] is not the output \[1, 4, 3, 6\] of input \[1, 7, 6, 5\]/,
    );
  });
});
