import { describe, expect, it } from 'vitest';
import { compareArrays, randomArray, useGpuPage } from '@avatarme/testing';
import type { Shape4 } from '../core/tensor.ts';
import type { PadMode } from '../core/types.ts';
import type { PadSpec } from './pad.ts';
import { padReference } from './reference.ts';

const gpu = useGpuPage();
const page = gpu.module<typeof import('./pad.gpu.ts')>(new URL('./pad.gpu.ts', import.meta.url));

// A pure copy: every value must arrive bit-exact.
const EXACT = { atol: 0 };

// Four workgroups per dispatch dimension: the tiny tensors below then need the 2-D dispatch grids
// (rows of workgroups) that images above 65,535 × 64 vec4 groups need on a real device.
const SMALL_DEVICE = { maxComputeWorkgroupsPerDimension: 4 };

const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

interface Spec {
  name: string;
  shape: Shape4;
  pads: [top: number, bottom: number, left: number, right: number];
}

const SPECS: Spec[] = [
  { name: 'symmetric 1, 3 channels (one pad lane), odd 5×7', shape: [1, 5, 7, 3], pads: [1, 1, 1, 1] },
  { name: 'asymmetric [1, 2, 0, 3], batch 2, 6 channels', shape: [2, 4, 6, 6], pads: [1, 2, 0, 3] },
  { name: 'wide [3, 3, 3, 3] (pix2pixHD stem), 8 channels', shape: [1, 6, 5, 8], pads: [3, 3, 3, 3] },
  {
    name: 'bottom/right only [0, 1, 0, 1] (TF same, stride 2), 1 channel',
    shape: [1, 4, 4, 1],
    pads: [0, 1, 0, 1],
  },
];

function spec(s: Spec, mode: PadMode): PadSpec {
  const [top, bottom, left, right] = s.pads;
  return { top, bottom, left, right, mode };
}

describe('pad parity with the CPU reference', () => {
  SPECS.forEach((s, i) => {
    for (const mode of ['zero', 'reflect', 'replicate'] as const) {
      it(`${mode}: ${s.name}`, async () => {
        const x = randomArray(size(s.shape), 800 + i);
        const got = await page.runPad({ x, shape: s.shape, spec: spec(s, mode) });
        const ref = padReference(x, s.shape, spec(s, mode));
        expect(got.shape).toEqual(ref.shape);
        const cmp = compareArrays(got.data, ref.data, EXACT);
        expect(cmp.ok, cmp.message).toBe(true);
        expect(got.reusedPoisoned).toBe(true);
        expect(got.nonZeroPadLanes).toBe(0);
        expect(got.liveBuffers).toBe(0);
      });
    }
  });

  it('zero mode with a border value 1.25 (ONNX constant_value), 5 channels: lanes past 5 stay 0', async () => {
    const shape: Shape4 = [1, 3, 4, 5];
    const x = randomArray(size(shape), 870);
    const padSpec: PadSpec = { top: 1, bottom: 2, left: 0, right: 3, mode: 'zero', value: 1.25 };
    const got = await page.runPad({ x, shape, spec: padSpec });
    const cmp = compareArrays(got.data, padReference(x, shape, padSpec).data, EXACT);
    expect(cmp.ok, cmp.message).toBe(true);
    expect(got.data[0]).toBe(1.25);
    expect(got.nonZeroPadLanes).toBe(0);
  });

  it('reflect, asymmetric, under a 4-workgroup dispatch limit (2-D grid)', async () => {
    const s = SPECS[1];
    const x = randomArray(size(s.shape), 850);
    const got = await page.runPad({ x, shape: s.shape, spec: spec(s, 'reflect'), limits: SMALL_DEVICE });
    const cmp = compareArrays(got.data, padReference(x, s.shape, spec(s, 'reflect')).data, EXACT);
    expect(cmp.ok, cmp.message).toBe(true);
    expect(got.nonZeroPadLanes).toBe(0);
  });

  it('over-allocates to minHeight × minWidth with zeros past the padded image', async () => {
    const s = SPECS[0];
    const x = randomArray(size(s.shape), 860);
    const padSpec = { ...spec(s, 'replicate'), minHeight: 9, minWidth: 12 };
    const got = await page.runPad({ x, shape: s.shape, spec: padSpec });
    const ref = padReference(x, s.shape, padSpec);
    const [, rh, rw, c] = ref.shape;
    expect(got.shape).toEqual([1, 9, 12, 3]);
    const expected = new Float32Array(size(got.shape));
    for (let y = 0; y < rh; y++) expected.set(ref.data.subarray(y * rw * c, (y + 1) * rw * c), y * 12 * c);
    const cmp = compareArrays(got.data, expected, EXACT);
    expect(cmp.ok, cmp.message).toBe(true);
    expect(got.reusedPoisoned).toBe(true);
    expect(got.nonZeroPadLanes).toBe(0);
  });

  it('rejects reflect padding as large as the input, naming the op and the shape', async () => {
    const x = randomArray(1 * 3 * 4 * 2, 870);
    const padSpec: PadSpec = { top: 3, bottom: 0, left: 0, right: 0, mode: 'reflect' };
    await expect(page.runPad({ x, shape: [1, 3, 4, 2], spec: padSpec })).rejects.toThrow(
      /pad: reflect padding \[3, 0, 0, 0\] must be smaller than the input's height and width \(input \[1, 3, 4, 2\]\)/,
    );
  });

  it('rejects negative or fractional padding', async () => {
    const x = randomArray(1 * 3 * 4 * 2, 880);
    const padSpec: PadSpec = { top: 1, bottom: -1, left: 0.5, right: 0, mode: 'zero' };
    await expect(page.runPad({ x, shape: [1, 3, 4, 2], spec: padSpec })).rejects.toThrow(
      /pad: padding \[1, -1, 0.5, 0\] must be non-negative integers/,
    );
  });
});
