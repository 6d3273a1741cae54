import { describe, expect, it } from 'vitest';
import { completeIrises, type IrisLayout } from './iris.ts';

const SIZE = 32;
const CHANNELS = 6;
const PUPIL = [0.05, 0.04, 0.04];
const BROWN = [0.45, 0.27, 0.12];
const SCLERA: [number, number, number] = [0.86, 0.84, 0.82];
const GARBAGE = [1, 0, 1];

/**
 * Two eyeballs side by side in one map (left half region 5, right half region 6), every texel facing
 * the camera at photo position (2·x, 2·y); irises at texels (8, 16) and (24, 16), radius 12 px
 * (6 texels). The photo shows a band 3 texels high through the centres (the eyelid opening): pupil
 * within 0.4 of the radius, brown to the edge, sclera beyond; everything else is garbage.
 */
function layout(): IrisLayout {
  const n = SIZE * SIZE;
  const l: IrisLayout = {
    size: SIZE,
    texture: new Float32Array(3 * n),
    confidence: new Float32Array(n),
    region: new Uint8Array(n),
    attributes: new Float32Array(CHANNELS * n),
    channels: CHANNELS,
  };
  for (let y = 0; y < SIZE; y++)
    for (let x = 0; x < SIZE; x++) {
      const i = y * SIZE + x;
      l.region[i] = x < SIZE / 2 ? 5 : 6;
      l.attributes.set([2 * x, 2 * y, 0, 0, 0, -1], CHANNELS * i);
      const d = Math.hypot(x - (x < SIZE / 2 ? 8 : 24), y - 16) / 6;
      const seen = Math.abs(y - 16) <= 1;
      l.confidence[i] = seen ? 1 : 0;
      l.texture.set(seen ? (d < 0.4 ? PUPIL : d < 1 ? BROWN : SCLERA) : GARBAGE, 3 * i);
    }
  return l;
}

const at = (l: IrisLayout, x: number, y: number) => [
  ...l.texture.subarray(3 * (y * SIZE + x), 3 * (y * SIZE + x) + 3),
];
const IRISES = [
  { centre: [48, 32], radius: 12 },
  { centre: [16, 32], radius: 12 },
];
const EYEBALLS = [
  { id: 5, sclera: SCLERA },
  { id: 6, sclera: SCLERA },
];

describe('completeIrises', () => {
  it('gives the hidden iris the seen rings, the hidden sclera its fill, and leaves seen texels alone', () => {
    const l = layout();
    const before = l.texture.slice();
    const stats = completeIrises(l, IRISES, EYEBALLS);
    for (const cx of [8, 24]) {
      // Under the lids, 0.33, 0.67 and 0.83 of the radius from the centre: pupil, then brown iris.
      at(l, cx, 14).forEach((v, c) => expect(v).toBeCloseTo(PUPIL[c], 5));
      at(l, cx, 12).forEach((v, c) => expect(v).toBeCloseTo(BROWN[c], 5));
      at(l, cx, 11).forEach((v, c) => expect(v).toBeCloseTo(BROWN[c], 5));
      at(l, cx, 21).forEach((v, c) => expect(v).toBeCloseTo(BROWN[c], 5));
      // 1.5 radii out: sclera.
      at(l, cx, 25).forEach((v, c) => expect(v).toBeCloseTo(SCLERA[c], 5));
    }
    for (let i = 0; i < SIZE * SIZE; i++)
      if (l.confidence[i] > 0)
        expect([...l.texture.subarray(3 * i, 3 * i + 3)]).toEqual([...before.subarray(3 * i, 3 * i + 3)]);
    expect(stats.completed).toBeGreaterThan(0);
    expect(stats.sclera).toBeGreaterThan(0);
    for (let i = 0; i < SIZE * SIZE; i++) expect(at(l, i % SIZE, Math.floor(i / SIZE))).not.toEqual(GARBAGE);
  });

  it('leaves an eyeball alone when no iris lies on its facing texels', () => {
    const l = layout();
    for (let i = 0; i < SIZE * SIZE; i++) if (i % SIZE >= SIZE / 2) l.attributes[CHANNELS * i + 5] = 1;
    const before = l.texture.slice();
    completeIrises(l, [{ centre: [16, 32], radius: 12 }], EYEBALLS);
    for (let i = 0; i < SIZE * SIZE; i++)
      if (i % SIZE >= SIZE / 2) expect(l.texture[3 * i]).toBe(before[3 * i]);
    at(l, 8, 14).forEach((v, c) => expect(v).toBeCloseTo(PUPIL[c], 5));
  });
});
