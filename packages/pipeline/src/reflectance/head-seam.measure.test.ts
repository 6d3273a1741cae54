import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { samplePhotoHead, useGpuPage } from '@avatarme/testing';
import { bundledHeadModelUrl } from '../morphable/bundled.ts';

const gpu = useGpuPage();
const page = gpu.module<typeof import('./head-seam.gpu.ts')>(new URL('./head-seam.gpu.ts', import.meta.url));
const ROOT = resolve(import.meta.dirname, '../../../..');

// The sample head's intermediate maps as raw little-endian arrays (name.f32 / name.u8, S×S×C) in
// AVATARME_DUMP_DIR (default reports/head-intermediates), to look at; collected only with AVATARME_MEASURE=1.
describe('intermediate maps of the sample head', () => {
  it('writes them', async () => {
    const uvSize = Number(process.env.AVATARME_UV_SIZE ?? 256);
    const got = await page.headIntermediates(
      samplePhotoHead(gpu, fileURLToPath(bundledHeadModelUrl()), uvSize),
    );
    const out = process.env.AVATARME_DUMP_DIR ?? resolve(ROOT, 'reports/head-intermediates');
    mkdirSync(out, { recursive: true });
    for (const [name, v] of Object.entries(got)) {
      if (v instanceof Float32Array) writeFileSync(resolve(out, `${name}.f32`), new Uint8Array(v.buffer));
      else if (v instanceof Uint8Array) writeFileSync(resolve(out, `${name}.u8`), v);
      else writeFileSync(resolve(out, `${name}.json`), JSON.stringify(v));
    }
    expect(got.texture.length).toBe(uvSize * uvSize * 3);
  }, 1_800_000);
});
