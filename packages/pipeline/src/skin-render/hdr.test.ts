import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FloatType } from 'three';
import { HDRLoader } from 'three/addons/loaders/HDRLoader.js';
import { decodeRgbe } from './hdr.ts';

const bundled = ['studio', 'city', 'apartment'].map((name) => ({
  name,
  bytes: new Uint8Array(readFileSync(new URL(`./hdri/${name}.hdr`, import.meta.url))),
}));

describe('decodeRgbe', () => {
  for (const { name, bytes } of bundled)
    it(`reads ${name}.hdr as three.js's HDRLoader does`, () => {
      const ours = decodeRgbe(bytes, name);
      expect([ours.width, ours.height]).toEqual([256, 128]);
      const theirs = new HDRLoader().setDataType(FloatType).parse(bytes.buffer as ArrayBuffer);
      expect([theirs.width, theirs.height]).toEqual([256, 128]);
      // Radiance's own reader (Ward's colr.c) and ours take mantissa · 2^(e − 136); three.js divides by
      // 255 instead of 256, 0.39% brighter. Anything else (wrong exponent bias, swapped channels,
      // flipped rows) is off by far more.
      let maxRel = 0;
      for (let i = 0; i < ours.width * ours.height; i++)
        for (let c = 0; c < 3; c++) {
          const a = ours.data[i * 4 + c];
          const b = (theirs.data as Float32Array)[i * 4 + c];
          maxRel = Math.max(maxRel, Math.abs(a - b) / Math.max(b, 1e-6));
        }
      expect(maxRel).toBeLessThan(1 / 255 + 1e-6);
      // The sky is at the top: the upper half is brighter than the lower half in every environment.
      const half = (from: number) => {
        let s = 0;
        for (let i = from; i < from + (ours.width * ours.height) / 2; i++) s += ours.data[i * 4 + 1];
        return s;
      };
      expect(half(0)).toBeGreaterThan(half((ours.width * ours.height) / 2));
    });

  it('refuses what it cannot read, saying why', () => {
    expect(() => decodeRgbe(new TextEncoder().encode('P6\n1 1\n255\n'), 'x.hdr')).toThrow(
      /x.hdr: not a Radiance .hdr file/,
    );
    const rle = new TextEncoder().encode('#?RADIANCE\nFORMAT=32-bit_rle_rgbe\n\n-Y 1 +X 8\n');
    const bytes = new Uint8Array(rle.length + 32);
    bytes.set(rle);
    bytes.set([2, 2, 0, 8], rle.length);
    expect(() => decodeRgbe(bytes, 'r.hdr')).toThrow(/r.hdr: run-length scanlines are not read/);
    expect(() => decodeRgbe(rle, 't.hdr')).toThrow(/t.hdr: 0 bytes of pixels for 8×1/);
  });
});
