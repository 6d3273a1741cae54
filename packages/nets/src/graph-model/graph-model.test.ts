import { describe, expect, it } from 'vitest';
import { compareArrays, useGpuPage } from '@avatarme/testing';
import type { ParityCase } from './graph-model.gpu.ts';

const gpu = useGpuPage();
const page = gpu.module<typeof import('./graph-model.gpu.ts')>(
  new URL('./graph-model.gpu.ts', import.meta.url),
);
const url = (m: string) => `/node_modules/@vladmandic/human/models/${m}.json`;

// Each model gets inputs in the range it was trained on (reference-facts §5, faceres from human's
// faceres.ts: crop × 255).
const CASES: [string, ParityCase][] = [
  ['blazeface', { url: url('blazeface'), shape: [1, 256, 256, 3], seed: 11, lo: -1, hi: 1 }],
  ['facemesh', { url: url('facemesh'), shape: [1, 192, 192, 3], seed: 12, lo: 0, hi: 1 }],
  ['iris', { url: url('iris'), shape: [1, 64, 64, 3], seed: 13, lo: 0, hi: 1 }],
  ['faceres', { url: url('faceres'), shape: [1, 224, 224, 3], seed: 14, lo: 0, hi: 255 }],
];

describe('TF.js graph models on our kernels vs TensorFlow.js', () => {
  it.each(CASES)(
    '%s: every output within 1e-3 of its range',
    async (_, c) => {
      const r = await page.runGraphParity(c, { timeoutMs: 600_000 });
      expect(Object.keys(r.ours).length).toBeGreaterThan(0);
      for (const k of Object.keys(r.ref)) {
        expect(r.shapes[k], k).toEqual(r.refShapes[k]);
        const ref = r.ref[k];
        let lo = Infinity;
        let hi = -Infinity;
        for (const v of ref) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
        // The bar: max |ours − TF.js| ≤ 1e-3 × the output's range. Both sides accumulate in
        // f32 in different orders through ~30–60 layers; observed errors are far below this. A
        // one-value output (gender score, face flag) has no spread, so its magnitude stands in.
        const range = Math.max(hi - lo, Math.abs(lo), Math.abs(hi), 1e-6);
        const cmp = compareArrays(r.ours[k], ref, {
          atol: 1e-3 * range,
          label: `${k} (range ${range.toPrecision(4)})`,
        });
        console.log(
          `${k}: max |diff| ${cmp.maxAbs.toExponential(2)} = ${(cmp.maxAbs / range).toExponential(2)} of range; ours ${r.oursMs.toFixed(0)} ms; TF.js ${r.backend}`,
        );
        expect(cmp.ok, cmp.message).toBe(true);
      }
      // Every intermediate was released: nothing but the pooled free list is left.
      expect(r.liveBuffers).toBe(0);
    },
    900_000,
  );
});
