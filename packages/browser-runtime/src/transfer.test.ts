import { describe, expect, it } from 'vitest';
import { decodeValue, encodeValue } from './transfer.ts';

describe('typed-array transfer', () => {
  it('round-trips nested values with typed arrays as blobs', async () => {
    const store = new Map<string, Uint8Array>();
    let n = 0;
    const value = {
      a: new Float32Array([1.5, -2]),
      b: [new Uint8Array([1, 2, 3]), 'x'],
      c: { d: 4, e: new Int32Array([-7]) },
    };
    const encoded = await encodeValue(value, async (bytes) => {
      const id = `id${n++}`;
      store.set(id, bytes.slice());
      return id;
    });
    expect(JSON.parse(JSON.stringify(encoded))).toEqual(encoded);
    const decoded = (await decodeValue(encoded, async (id) => store.get(id)!)) as typeof value;
    expect(decoded.a).toEqual(value.a);
    expect(decoded.b[0]).toEqual(value.b[0]);
    expect(decoded.b[1]).toBe('x');
    expect(decoded.c.e).toEqual(value.c.e);
  });
  it('keeps subarray views to their own range', async () => {
    const big = new Float32Array([0, 1, 2, 3, 4]);
    let saved = new Uint8Array();
    const enc = await encodeValue(big.subarray(1, 3), async (b) => {
      saved = b.slice();
      return 'x';
    });
    const dec = await decodeValue(enc, async () => saved);
    expect(dec).toEqual(new Float32Array([1, 2]));
  });
});
