import { describe, expect, it } from 'vitest';
import { interiorTriangles, medianLightness } from './mouth-interior.ts';
import { texelsReading, texelsReadingOnly } from './mouth-opening.ts';

const [LIPS, OPENING] = [1, 2];

/**
 * A 6×4 photo's labels: the opening is the 2×2 block of pixels x 2–3, y 1–2 (centres at +0.5), lips
 * around it.
 */
function photoLabels() {
  const [w, h] = [6, 4];
  const pixels = new Uint8Array(w * h).fill(LIPS);
  for (const [x, y] of [
    [2, 1],
    [3, 1],
    [2, 2],
    [3, 2],
  ])
    pixels[y * w + x] = OPENING;
  return { w, h, pixels };
}

/** A 3×3 layout whose texels project to the given camera x, y (channels 0, 1 of 2). */
function layout(points: [number, number][]) {
  const attributes = new Float32Array(9 * 2);
  points.forEach(([x, y], i) => attributes.set([x, y], 2 * i));
  return attributes;
}

describe('the mouth interior texels that read the photo’s opening only', () => {
  it('need every weighted bilinear tap on the opening: a tenth of a lip pixel is too much', () => {
    const { w, h, pixels } = photoLabels();
    const attributes = layout([
      [3.0, 2.0], // taps (2..3, 1..2): the whole opening
      [2.5, 1.5], // on pixel (2, 1)'s centre: the other taps weigh nothing
      [3.6, 2.0], // taps x 3 and 4: a tenth from the lips at x 4
      [1.9, 2.0], // taps x 1 and 2: most from the opening, the rest lips
      [3.0, 0.9], // taps y 0 and 1: lips above
      [3.0, 2.0], // not eligible
      [-3, -3], // clamped to pixel (0, 0): lips
      [0, 0],
      [0, 0],
    ]);
    const eligible = (i: number) => i !== 5 && i < 7;
    const only = texelsReadingOnly(3, attributes, 2, eligible, pixels, OPENING, w, h);
    expect(Array.from(only)).toEqual([1, 1, 0, 0, 0, 0, 0, 0, 0]);
    // texelsReading (skin that must not read the opening) counts any tap: the two rules do not both
    // hold on a texel that mixes lips and opening, so no texel is both lip and tooth.
    const any = texelsReading(3, attributes, 2, eligible, pixels, OPENING, w, h);
    expect(Array.from(any)).toEqual([1, 1, 1, 1, 1, 0, 0, 0, 0]);
  });

  it('clamps the taps at the photo’s edge like the texture kernel', () => {
    const pixels = Uint8Array.from([OPENING, LIPS, LIPS, LIPS]);
    const attributes = layout([
      [0.2, 0.2], // every tap clamps to pixel (0, 0)
      [0.2, 1.2], // taps y 0 and 1 of x 0: (0, 1) is lips
      [0, 0],
      [0, 0],
      [0, 0],
      [0, 0],
      [0, 0],
      [0, 0],
      [0, 0],
    ]);
    const only = texelsReadingOnly(3, attributes, 2, (i) => i < 2, pixels, OPENING, 2, 2);
    expect(Array.from(only.subarray(0, 2))).toEqual([1, 0]);
  });

  it('z-buffers the inner surfaces alone: the triangles of the regions inside the mouth', () => {
    const triangles = Uint32Array.from([0, 1, 2, 1, 2, 3, 2, 3, 4, 3, 4, 5]);
    const region = [1, 3, 4, 2]; // skin, gums, teeth, sockets
    const inside = interiorTriangles(triangles, region, (r) => r === 3 || r === 4);
    expect(Array.from(inside)).toEqual([1, 2, 3, 2, 3, 4]);
  });

  it('takes the lips’ median L* as the level the dark inside is measured from', () => {
    // sRGB grey 0.5 is L* 53.39, 0.2 is 21.25, white 100; pixels of another label do not count.
    const photo = Float32Array.from([0.5, 0.5, 0.5, 0.2, 0.2, 0.2, 1, 1, 1, 0, 0, 0]);
    const labels = Uint8Array.from([LIPS, LIPS, LIPS, OPENING]);
    expect(medianLightness(photo, labels, LIPS)).toBeCloseTo(53.39, 1);
    expect(medianLightness(photo, labels, 3)).toBeNaN();
  });
});
