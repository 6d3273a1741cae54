// Node-only checks of grouped/depthwise conventions: which kernel runs, and that TF's depthwise
// filter layout maps onto grouped HWIO weights (checked against TF.js's own CPU depthwiseConv2d).
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { compareArrays, randomArray } from '@avatarme/testing';
import { convKind, depthwiseToGroupedHWIO, packGroupedWeights } from './conv2d.ts';
import { conv2dReference } from './reference.ts';
import { chooseDepthwiseTiling } from './tiling.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('grouped convolution conventions', () => {
  it('routes groups to the dense, depthwise or lane-gather kernel', () => {
    expect(convKind(1, 64, 64)).toBe('dense');
    expect(convKind(64, 64, 64)).toBe('depthwise');
    expect(convKind(5, 5, 10)).toBe('grouped'); // depthwise with multiplier 2
    expect(convKind(2, 6, 10)).toBe('grouped');
  });

  it.each([1, 2])('TF depthwise filter [3, 3, 5, %i] equals grouped HWIO (vs tf.depthwiseConv2d)', (m) => {
    const xShape = [1, 7, 6, 5] as const;
    const x = randomArray(7 * 6 * 5, 11);
    const filter = randomArray(3 * 3 * 5 * m, 12);
    const g = depthwiseToGroupedHWIO(filter, [3, 3, 5, m]);
    const ours = conv2dReference(x, xShape, g.weights, g.shape, {
      groups: g.groups,
      stride: [2, 2],
      padding: 'same',
    });
    const theirs = tf.tidy(() =>
      tf
        .depthwiseConv2d(tf.tensor4d(x, [...xShape]), tf.tensor4d(filter, [3, 3, 5, m]), 2, 'same')
        .dataSync(),
    );
    expect(ours.shape).toEqual([1, 4, 3, 5 * m]);
    // Both accumulate 9 products in floating point: differences are rounding only (~1e-7).
    const cmp = compareArrays(ours.data, theirs, { atol: 1e-5 });
    expect(cmp.ok, cmp.message).toBe(true);
  });

  it('packs each (tap, input channel) row of weights into whole vec4 groups, pad lanes zero', () => {
    const packed = packGroupedWeights(Float32Array.from([1, 2, 3, 4, 5, 6]), [1, 1, 2, 3], 2);
    expect([...packed]).toEqual([1, 2, 3, 0, 0, 0, 0, 0, 4, 5, 6, 0, 0, 0, 0, 0]);
  });

  it('depthwise blocking: long pixel rows on a CPU adapter, light invocations on a GPU', () => {
    expect(chooseDepthwiseTiling(256, 16, 'cpu').px).toBeGreaterThanOrEqual(8);
    expect(chooseDepthwiseTiling(3, 16, 'cpu').px).toBe(3);
    expect(chooseDepthwiseTiling(256, 16, 'gpu').px).toBeLessThanOrEqual(4);
  });
});
