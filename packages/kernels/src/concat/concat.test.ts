import { describe, expect, it } from 'vitest';
import { randomArray, useGpuPage } from '@avatarme/testing';
import type { Shape4 } from '../core/tensor.ts';
import { concatReference } from './reference.ts';

const gpu = useGpuPage();
const page = gpu.module<typeof import('./concat.gpu.ts')>(new URL('./concat.gpu.ts', import.meta.url));

const size = (s: readonly number[]) => s.reduce((p, q) => p * q, 1);

// concat only moves values: the output must equal the reference exactly.
const CASES: { name: string; hw: [number, number, number]; channels: number[] }[] = [
  { name: '3 + 5 (lanes repack across groups)', hw: [1, 5, 7], channels: [3, 5] },
  { name: '4 + 8 (aligned)', hw: [1, 3, 4], channels: [4, 8] },
  { name: '1 + 1 + 1 + 1 + 1, batch 2', hw: [2, 3, 3], channels: [1, 1, 1, 1, 1] },
  { name: '6 + 3 + 7 + 2, odd sizes', hw: [1, 7, 5], channels: [6, 3, 7, 2] },
  { name: '5 + 12, batch 2', hw: [2, 4, 3], channels: [5, 12] },
  { name: 'one tensor of 3 channels', hw: [1, 2, 3], channels: [3] },
];

describe('concat parity with the CPU reference', () => {
  CASES.forEach((cs, i) => {
    it(cs.name, async () => {
      const inputs = cs.channels.map((c, k) => {
        const shape: Shape4 = [...cs.hw, c];
        return {
          data: randomArray(
            shape.reduce((p, q) => p * q, 1),
            400 + 10 * i + k,
          ),
          shape,
        };
      });
      const got = await page.runConcat({ inputs });
      const ref = concatReference(inputs);
      expect(got.shape).toEqual(ref.shape);
      expect(got.data).toEqual(ref.data);
      // the output reused a NaN-filled pooled buffer: every lane, pad lanes included, was written
      expect(got.reusedPoisoned).toBe(true);
      expect(got.nonZeroPadLanes).toBe(0);
      expect(got.liveBuffers).toBe(0);
    });
  });

  it('3 + 6 under a 4-workgroup dispatch limit (2-D grid)', async () => {
    const inputs = [3, 6].map((ch, k) => {
      const shape: Shape4 = [2, 7, 9, ch];
      return { data: randomArray(size(shape), 480 + k), shape };
    });
    // 4 workgroups per dimension: these small tensors need the 2-D grid big images need on a real device
    const got = await page.runConcat({
      inputs,
      limits: { maxComputeWorkgroupsPerDimension: 4 },
    });
    expect(got.data).toEqual(concatReference(inputs).data);
    expect(got.nonZeroPadLanes).toBe(0);
  });

  it('checks the output against maxStorageBufferBindingSize, naming op, shape and limit', async () => {
    const inputs: Parameters<typeof page.runConcat>[0]['inputs'] = [0, 1].map(() => ({
      data: new Float32Array(16 * 4),
      shape: [1, 4, 4, 4],
    }));
    await expect(page.runConcat({ inputs, limits: { maxStorageBufferBindingSize: 256 } })).rejects.toThrow(
      /concat: tensor \[1, 4, 4, 8\] needs 512 bytes, above this device's maxStorageBufferBindingSize 256/,
    );
  });

  it('rejects inputs that differ in height, naming every shape', async () => {
    const inputs: Parameters<typeof page.runConcat>[0]['inputs'] = [
      { data: new Float32Array(1 * 4 * 4 * 3), shape: [1, 4, 4, 3] },
      { data: new Float32Array(1 * 5 * 4 * 2), shape: [1, 5, 4, 2] },
    ];
    await expect(page.runConcat({ inputs })).rejects.toThrow(
      /concat: inputs \[1, 4, 4, 3\], \[1, 5, 4, 2\] differ in N, H or W/,
    );
  });
});
