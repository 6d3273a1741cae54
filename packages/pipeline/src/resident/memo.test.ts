import { describe, expect, it } from 'vitest';
import { ResidentMemo, contentKey } from './memo.ts';

class Value {
  disposed = false;
  constructor(readonly name: string) {}
  dispose(): void {
    this.disposed = true;
  }
}

describe('resident memo', () => {
  it('creates once per key and hands the same value to every lease', async () => {
    const memo = new ResidentMemo<Value>(4);
    let made = 0;
    const create = (name: string) => () => (made++, new Value(name));
    const [a, b] = await Promise.all([memo.lease('k', create('a')), memo.lease('k', create('b'))]);
    expect(a.value).toBe(b.value);
    expect(a.value.name).toBe('a');
    expect(made).toBe(1);
    a.release();
    b.release();
    const c = await memo.lease('k', create('c'));
    expect(c.value).toBe(a.value);
    expect(made).toBe(1);
  });

  it('keeps at most `size` values, disposing the least recently used ones no one holds', async () => {
    const memo = new ResidentMemo<Value>(2);
    const held = await memo.lease('a', () => new Value('a'));
    const b = await memo.lease('b', () => new Value('b'));
    b.release();
    const c = await memo.lease('c', () => new Value('c'));
    // 'a' is the oldest but held: 'b' goes.
    expect(b.value.disposed).toBe(true);
    expect(held.value.disposed).toBe(false);
    expect(memo.count).toBe(2);
    c.release();
    // Using 'a' again makes 'c' the oldest.
    const again = await memo.lease('a', () => new Value('a2'));
    expect(again.value).toBe(held.value);
    again.release();
    held.release();
    held.release(); // a second release does nothing
    await memo.lease('d', () => new Value('d'));
    expect(c.value.disposed).toBe(true);
    expect(held.value.disposed).toBe(false);
  });

  it('holds on to more than `size` values while all are held, and trims once they are released', async () => {
    const memo = new ResidentMemo<Value>(1);
    const a = await memo.lease('a', () => new Value('a'));
    const b = await memo.lease('b', () => new Value('b'));
    expect(memo.count).toBe(2);
    a.release();
    expect(a.value.disposed).toBe(true);
    expect(memo.count).toBe(1);
    b.release();
    memo.clear();
    expect(b.value.disposed).toBe(true);
    expect(memo.count).toBe(0);
  });

  it('does not keep a failed creation', async () => {
    const memo = new ResidentMemo<Value>(2);
    await expect(
      memo.lease('a', () => {
        throw new Error('no such file');
      }),
    ).rejects.toThrow('no such file');
    await Promise.resolve();
    expect(memo.count).toBe(0);
    const a = await memo.lease('a', () => new Value('a'));
    expect(a.value.name).toBe('a');
  });
});

describe('content key', () => {
  it('changes with any byte, any part and the split between parts', async () => {
    const bytes = (...v: number[]) => new Uint8Array(v);
    const key = await contentKey(['/models/blazeface.json', bytes(1, 2, 3), bytes(4)]);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(await contentKey(['/models/blazeface.json', bytes(1, 2, 3), bytes(4)])).toBe(key);
    expect(await contentKey(['/other/blazeface.json', bytes(1, 2, 3), bytes(4)])).not.toBe(key);
    expect(await contentKey(['/models/blazeface.json', bytes(1, 2, 3), bytes(5)])).not.toBe(key);
    expect(await contentKey(['/models/blazeface.json', bytes(1, 2), bytes(3, 4)])).not.toBe(key);
    expect(await contentKey(['/models/blazeface.json', bytes(1, 2, 3, 4)])).not.toBe(key);
  });
});
