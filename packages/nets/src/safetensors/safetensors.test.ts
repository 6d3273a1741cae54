import { describe, expect, it } from 'vitest';
import { randomArray } from '@avatarme/testing';
import { floatToBfloat16, floatToHalf, halfToFloat } from '../float16.ts';
import { firstDuplicateKey } from './header.ts';
import { SafetensorsFile } from './reader.ts';
import { writeSafetensors } from './writer.ts';

/** A file assembled by hand from the format description (u64 LE header length, JSON, data). */
function rawFile(header: unknown, dataBytes: number, headerText = JSON.stringify(header)): Uint8Array {
  const json = new TextEncoder().encode(headerText);
  const out = new Uint8Array(8 + json.byteLength + dataBytes);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.byteLength), true);
  out.set(json, 8);
  return out;
}

const f32 = (shape: number[], begin: number) => ({
  dtype: 'F32',
  shape,
  data_offsets: [begin, begin + 4 * shape.reduce((a, b) => a * b, 1)],
});

describe('safetensors reader', () => {
  it('reads a hand-assembled F32 file, as a view into the caller bytes', () => {
    // Pad the JSON with spaces so that the data (at 8 + JSON length) is 4-byte aligned.
    const text = JSON.stringify({ __metadata__: { format: 'pt' }, a: f32([2, 3], 0), b: f32([], 24) });
    const padded = text + ' '.repeat((8 - (text.length % 8)) % 8);
    const bytes = rawFile(null, 28, padded);
    const data = new Float32Array(bytes.buffer, 8 + padded.length, 7);
    data.set([1, 2, 3, 4, 5, 6, -7.5]);
    const st = SafetensorsFile.parse(bytes, 'hand.safetensors');
    expect(st.names).toEqual(['a', 'b']);
    expect(st.metadata).toEqual({ format: 'pt' });
    expect(st.info('a')).toMatchObject({ dtype: 'F32', shape: [2, 3] });
    const a = st.float32('a');
    expect([...a]).toEqual([1, 2, 3, 4, 5, 6]);
    expect(a.buffer).toBe(bytes.buffer); // no copy
    expect([...st.float32('b')]).toEqual([-7.5]);
  });

  it('round-trips F32, F16 and BF16 through the writer, ordered like the reference writer', () => {
    const values = randomArray(37, 5, -3, 3);
    const bytes = writeSafetensors(
      {
        'z.f32': { dtype: 'F32', shape: [37], data: values },
        'a.f16': { dtype: 'F16', shape: [37, 1], data: values },
        'm.bf16': { dtype: 'BF16', shape: [1, 37], data: values },
        'n.i64': { dtype: 'I64', shape: [], data: new Uint8Array(new BigInt64Array([42n]).buffer) },
      },
      { format: 'pt' },
    );
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(headerLength % 8).toBe(0);
    const st = SafetensorsFile.parse(bytes, 'rt.safetensors');
    // Descending dtype size, then name: I64 (8), F32 (4), then the 2-byte ones by name.
    const byOffset = st.names.sort((p, q) => st.info(p).begin - st.info(q).begin);
    expect(byOffset).toEqual(['n.i64', 'z.f32', 'a.f16', 'm.bf16']);
    expect([...st.float32('z.f32')]).toEqual([...values]);
    const h = st.float32('a.f16');
    const b = st.float32('m.bf16');
    for (let i = 0; i < values.length; i++) {
      // F16 has an 11-bit significand (relative step 2^-11), BF16 an 8-bit one (2^-8); rounding is to
      // nearest, so the error is at most half a step.
      expect(Math.abs(h[i] - values[i])).toBeLessThanOrEqual(Math.abs(values[i]) * 2 ** -11);
      expect(Math.abs(b[i] - values[i])).toBeLessThanOrEqual(Math.abs(values[i]) * 2 ** -8);
    }
    expect(new BigInt64Array(st.bytes('n.i64').slice().buffer)[0]).toBe(42n);
    expect(() => st.float32('n.i64')).toThrow(/rt.safetensors: tensor "n.i64" is I64, not a float tensor/);
  });

  it('converts every half-precision value exactly and back', () => {
    expect(halfToFloat(0x3c00)).toBe(1);
    expect(halfToFloat(0x7bff)).toBe(65504);
    expect(halfToFloat(0x0001)).toBe(2 ** -24);
    expect(halfToFloat(0xc000)).toBe(-2);
    expect(halfToFloat(0x7c00)).toBe(Infinity);
    for (let hbits = 0; hbits < 0x10000; hbits++) {
      const v = halfToFloat(hbits);
      if (Number.isNaN(v)) continue;
      expect(floatToHalf(v)).toBe(hbits);
    }
    expect(floatToHalf(1e6)).toBe(0x7c00);
    // Ties go to even: 1 + 2^-11 lies halfway between 1 and 1 + 2^-10.
    expect(floatToHalf(1 + 2 ** -11)).toBe(0x3c00);
    expect(floatToHalf(1 + 3 * 2 ** -11)).toBe(0x3c02);
    expect(floatToBfloat16(1)).toBe(0x3f80);
    expect(floatToBfloat16(1 + 2 ** -8)).toBe(0x3f80);
    expect(floatToBfloat16(1 + 3 * 2 ** -8)).toBe(0x3f82);
  });

  it('copies an F32 tensor that is not 4-byte aligned in its buffer instead of failing', () => {
    const inner = writeSafetensors({ w: { dtype: 'F32', shape: [3], data: new Float32Array([1, 2, 3]) } });
    const shifted = new Uint8Array(inner.byteLength + 1);
    shifted.set(inner, 1);
    const st = SafetensorsFile.parse(shifted.subarray(1), 'odd.safetensors');
    expect([...st.float32('w')]).toEqual([1, 2, 3]);
  });

  it('finds duplicate top-level keys only', () => {
    expect(firstDuplicateKey('{"a": {"a": 1, "b": [1, {"a": 2}]}, "b": 2}')).toBeUndefined();
    expect(firstDuplicateKey('{"x\\"y": 1, "b": {"c": 1}, "x\\"y": 2}')).toBe('x"y');
  });
});

describe('safetensors header validation: one-line errors naming file and tensor', () => {
  const cases: { name: string; file: () => Uint8Array; error: RegExp }[] = [
    {
      name: 'too short',
      file: () => new Uint8Array(5),
      error: /^bad.st: 5 bytes is too short for a safetensors file$/,
    },
    {
      name: 'header length past the end of the file',
      file: () => {
        const f = rawFile({}, 0);
        new DataView(f.buffer).setBigUint64(0, 1000n, true);
        return f;
      },
      error: /^bad.st: header length 1000 runs past the end of the file \(10 bytes\)$/,
    },
    {
      name: 'header length over the limit',
      file: () => {
        const f = rawFile({}, 0);
        new DataView(f.buffer).setBigUint64(0, 200_000_000n, true);
        return f;
      },
      error: /header length 200000000 exceeds the limit of 100000000 bytes/,
    },
    {
      name: 'bad JSON',
      file: () => rawFile(null, 0, '{"a": {"dtype": "F32",'),
      error: /^bad.st: header is not valid JSON \(.*\)$/,
    },
    {
      name: 'JSON that is not an object',
      file: () => rawFile([1, 2], 0),
      error: /^bad.st: header JSON is not an object$/,
    },
    {
      name: 'unknown dtype',
      file: () => rawFile({ w: { dtype: 'F128', shape: [1], data_offsets: [0, 16] } }, 16),
      error: /^bad.st: tensor "w": unknown dtype "F128" \(known: BOOL, .*\)$/,
    },
    {
      name: 'size mismatch',
      file: () => rawFile({ w: { dtype: 'F32', shape: [2, 2], data_offsets: [0, 12] } }, 12),
      error: /^bad.st: tensor "w": 12 bytes do not match shape \[2, 2\] of F32 \(16 bytes\)$/,
    },
    {
      name: 'offsets outside the file',
      file: () => rawFile({ w: f32([4], 0), v: f32([4], 16) }, 20),
      error: /^bad.st: tensor "v": data_offsets \[16, 32\] lie outside the data buffer \(20 bytes\)$/,
    },
    {
      name: 'overlapping ranges',
      file: () => rawFile({ w: f32([4], 0), v: f32([2], 8) }, 16),
      error: /^bad.st: tensor "v": bytes \[8, 16\) overlap tensor "w" \[0, 16\)$/,
    },
    {
      name: 'gap between ranges',
      file: () => rawFile({ w: f32([1], 0), v: f32([1], 8) }, 12),
      error: /^bad.st: tensor "v": bytes \[8, 12\) leave a gap after byte 4 \(end of tensor "w"\)$/,
    },
    {
      name: 'data not starting at 0',
      file: () => rawFile({ w: f32([1], 4) }, 8),
      error: /^bad.st: tensor "w": bytes \[4, 8\) leave a gap after byte 0$/,
    },
    {
      name: 'bytes after the last tensor',
      file: () => rawFile({ w: f32([1], 0) }, 12),
      error: /^bad.st: tensor data ends at byte 4 of the data buffer but the file holds 12 data bytes$/,
    },
    {
      name: 'reversed offsets',
      file: () => rawFile({ w: { dtype: 'F32', shape: [0], data_offsets: [4, 0] } }, 4),
      error: /^bad.st: tensor "w": data_offsets \[4, 0\] end before they begin$/,
    },
    {
      name: 'bad shape',
      file: () => rawFile({ w: { dtype: 'F32', shape: [2, -1], data_offsets: [0, 8] } }, 8),
      error: /^bad.st: tensor "w": shape \[2,-1\] is not a list of non-negative integers$/,
    },
    {
      name: 'missing data_offsets',
      file: () => rawFile({ w: { dtype: 'F32', shape: [1] } }, 4),
      error: /^bad.st: tensor "w": data_offsets undefined is not \[begin, end\]$/,
    },
    {
      name: 'duplicate tensor names',
      file: () =>
        rawFile(null, 8, `{"w": ${JSON.stringify(f32([1], 0))}, "w": ${JSON.stringify(f32([1], 4))}}`),
      error: /^bad.st: tensor "w" appears twice in the header$/,
    },
    {
      name: 'metadata that is not strings',
      file: () => rawFile({ __metadata__: { epoch: 3 } }, 0),
      error: /^bad.st: __metadata__ "epoch" is not a string$/,
    },
    {
      name: 'header that is not UTF-8',
      file: () => {
        const f = rawFile(null, 0, '{"w"}');
        f[10] = 0xff;
        return f;
      },
      error: /^bad.st: header is not valid UTF-8$/,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(() => SafetensorsFile.parse(c.file(), 'bad.st')).toThrow(c.error);
    });
  }

  it('accepts empty tensors and an empty file', () => {
    const st = SafetensorsFile.parse(
      rawFile({ e: { dtype: 'F16', shape: [0, 3], data_offsets: [0, 0] } }, 0),
    );
    expect(st.float32('e').length).toBe(0);
    expect(SafetensorsFile.parse(rawFile({}, 0)).names).toEqual([]);
  });

  it('names the file when a tensor is missing', () => {
    const st = SafetensorsFile.parse(rawFile({}, 0), 'empty.st');
    expect(() => st.float32('model.1.weight')).toThrow(/^empty.st: no tensor "model.1.weight"$/);
  });
});
