import { describe, expect, it } from 'vitest';
import { DescriptorMemo, descriptorKey } from './descriptor-memo.ts';
import type { DetectedFace } from './detect.ts';

const face: DetectedFace = {
  box: [10, 20, 30, 40],
  score: 0.9,
  keypoints: [
    [15, 25],
    [30, 25],
  ],
};
const image = (fill: number) => ({ width: 2, height: 2, data: new Uint8ClampedArray(16).fill(fill) });

describe('descriptor memo', () => {
  it('keys a photo by its pixels, its size, the face and the model folder', async () => {
    const a = await descriptorKey('/models/', image(7), face);
    expect(await descriptorKey('/models/', image(7), face)).toBe(a);
    const changed = image(7);
    changed.data[13] = 8;
    expect(await descriptorKey('/models/', changed, face)).not.toBe(a);
    expect(await descriptorKey('/other/', image(7), face)).not.toBe(a);
    expect(await descriptorKey('/models/', { ...image(7), width: 1, height: 4 }, face)).not.toBe(a);
    expect(await descriptorKey('/models/', image(7), { ...face, box: [11, 20, 30, 40] })).not.toBe(a);
  });

  it('starts a miss at once: compute is called before get yields, so its GPU work is submitted', () => {
    const memo = new DescriptorMemo();
    let started = false;
    void memo.get('a', async () => ((started = true), new Float32Array(1)));
    expect(started).toBe(true);
  });

  it('computes once per key, hands out copies, and keeps only the last photos', async () => {
    const memo = new DescriptorMemo(2);
    let runs = 0;
    const compute = (v: number) => async () => (runs++, new Float32Array([v, -v]));
    const first = await memo.get('a', compute(1));
    first[0] = 99;
    expect(await memo.get('a', compute(5))).toEqual(new Float32Array([1, -1]));
    expect(runs).toBe(1);
    await memo.get('b', compute(2));
    await memo.get('c', compute(3));
    expect(memo.count).toBe(2);
    // What has() says is what get() does: 'a' was the oldest and is gone, 'b' and 'c' are kept.
    expect([memo.has('a'), memo.has('b'), memo.has('c')]).toEqual([false, true, true]);
    // 'a' was the oldest: computed again.
    expect(await memo.get('a', compute(4))).toEqual(new Float32Array([4, -4]));
    expect(runs).toBe(4);
  });
});
