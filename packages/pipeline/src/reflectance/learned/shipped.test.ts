import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareArrays, useGpuPage } from '@avatarme/testing';
import { REFLECTANCE_MAPS } from './avatarme.ts';

const gpu = useGpuPage();
const page = gpu.module<typeof import('./shipped.gpu.ts')>(new URL('./shipped.gpu.ts', import.meta.url));

const WEIGHTS = join(import.meta.dirname, '../../../models/reflectance');
const FIXTURE = join(import.meta.dirname, 'fixtures/shipped-parity.json');

// Both sides compute in f32 from the same f16 weights (widened exactly), in different summation
// orders, through four networks of ~10 layers each, the last three fed the first one's output; batch
// norm is folded into the convolutions on our side and applied after them in PyTorch. Observed: ≤ 4e-7
// on these [0, 1] maps. 1e-4 leaves room for another adapter's summation order; a wrong key, pad, norm
// fold or input order moves outputs by far more than that, and each reference map spreads by more
// than 10× the tolerance over the crop (checked below), so a constant output cannot pass.
const ATOL = 1e-4;

interface Fixture {
  size: number;
  texture: string;
  shapeNormals: string;
  outputs: Record<string, { channels: number; data: string }>;
}
const f32 = (b64: string) => {
  const bytes = Buffer.from(b64, 'base64');
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
};

describe('the shipped learned reflectance networks: our executor vs PyTorch (tools/train/parity_fixture.py)', () => {
  it('the four maps of a 32² crop of a training sample, chained as at inference', async () => {
    const fixture = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Fixture;
    const files = Object.fromEntries(
      readdirSync(WEIGHTS)
        .filter((f) => f === 'manifest.json' || f.endsWith('.safetensors'))
        .map((f) => [f, new Uint8Array(readFileSync(join(WEIGHTS, f)))]),
    );
    const got = await page.runShipped({
      files,
      texture: f32(fixture.texture),
      shapeNormals: f32(fixture.shapeNormals),
      size: fixture.size,
    });
    expect(got.liveBuffers).toBe(0);
    expect(got.windows).toEqual([1, 1, 1, 1]);
    for (const map of REFLECTANCE_MAPS) {
      const ref = f32(fixture.outputs[map].data);
      expect(ref.length).toBe(fixture.size * fixture.size * fixture.outputs[map].channels);
      // Meaningful only if the reference varies over the crop.
      const mean = ref.reduce((a, b) => a + b, 0) / ref.length;
      expect(Math.max(...ref.map((v) => Math.abs(v - mean)))).toBeGreaterThan(10 * ATOL);
      const cmp = compareArrays(got.maps[map], ref, { atol: ATOL });
      console.log(`${map}: ${cmp.message}`);
      expect(cmp.ok, `${map}: ${cmp.message}`).toBe(true);
    }
  });
});
