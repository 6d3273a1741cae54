import { describe, expect, it } from 'vitest';
import { compareArrays, randomArray, useGpuPage } from '@avatarme/testing';
import { evaluateShape, type MorphableModel } from './model.ts';

const gpu = useGpuPage();
const page = gpu.module<typeof import('./gpu.gpu.ts')>(new URL('./gpu.gpu.ts', import.meta.url));

describe('MorphableModelGpu', () => {
  it('evaluates identity then expression modes like evaluateShape (odd vertex count, 5 + 3 modes)', async () => {
    const v = 37;
    const neutral = randomArray(v * 3, 1, -10, 10);
    const identity = randomArray(5 * v * 3, 2);
    const expression = randomArray(3 * v * 3, 3);
    const wId = randomArray(5, 4, -2, 2);
    const wExp = randomArray(3, 5, 0, 1);
    const model = {
      vertexCount: v,
      neutral,
      identity: { count: 5, names: [], data: identity },
      expression: { count: 3, names: [], data: expression },
    } as unknown as MorphableModel;
    const got = await page.evaluateOnGpu({
      neutral,
      identity,
      expression,
      counts: [5, 3],
      wId,
      wExp,
    });
    // 8 f32 fma terms of magnitude ≤ 2 on values ≤ 10: rounding stays below 1e-5.
    const cmp = compareArrays(got.data, evaluateShape(model, wId, wExp), { atol: 1e-5 });
    expect(cmp.ok, cmp.message).toBe(true);
    expect(got.live).toBe(0);
  });

  it("keeps a model object's basis on the device: the same object leases the same basis, another object its own", async () => {
    const v = 11;
    const r = await page.residentBasis({
      neutral: randomArray(v * 3, 6, -10, 10),
      identity: randomArray(2 * v * 3, 7),
      expression: randomArray(v * 3, 8),
      counts: [2, 1],
    });
    expect(r).toEqual({ sameObject: true, otherObject: true, sameValues: true });
  });
});
