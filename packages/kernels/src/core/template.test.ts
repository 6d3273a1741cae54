import { describe, expect, it } from 'vitest';
import { expandTemplate } from './template.ts';
import { BufferPool } from './pool.ts';
import { grid1d } from './grid.ts';

describe('WGSL template', () => {
  it('substitutes values and unrolls nested loops', () => {
    const src = [
      'let a = {{A}}u;',
      '//@for i in 0..N',
      '//@for j in 0..2',
      'acc${i}_${j} += x${i};',
      '//@end',
      '//@end',
    ].join('\n');
    expect(expandTemplate(src, { A: 7, N: 2 })).toBe(
      ['let a = 7u;', 'acc0_0 += x0;', 'acc0_1 += x0;', 'acc1_0 += x1;', 'acc1_1 += x1;'].join('\n'),
    );
  });
  it('names a missing value', () => {
    expect(() => expandTemplate('x = {{PX}};', {})).toThrow(/no value for \{\{PX\}\}/);
  });
  it('reports an unterminated loop', () => {
    expect(() => expandTemplate('//@for i in 0..2\nx', {})).toThrow(/no \/\/@end/);
  });
  it('pastes an include once, resolving the includes of includes, before values and loops', () => {
    const includes = {
      base: 'const B: u32 = {{B}}u;',
      twice: ['//@include base', '//@for i in 0..2', 'let t${i} = B;', '//@end'].join('\n'),
    };
    const src = ['//@include twice', '  //@include base', 'let a = 1u;'].join('\n');
    expect(expandTemplate(src, { B: 3 }, includes)).toBe(
      ['const B: u32 = 3u;', 'let t0 = B;', 'let t1 = B;', 'let a = 1u;'].join('\n'),
    );
  });
  it('names an unknown include and a cycle', () => {
    expect(() => expandTemplate('//@include nope', {}, { nhwc: '' })).toThrow(
      /no include named "nope" \(known: nhwc\)/,
    );
    expect(() => expandTemplate('//@include a', {}, { a: '//@include b', b: '//@include a' })).toThrow(
      /cycle: a → b → a/,
    );
  });
});

describe('buffer pool size classes', () => {
  it('round up by at most an eighth and never below the request', () => {
    for (const bytes of [1, 16, 100, 1000, 4097, 65536, 1_000_001, 123_456_789]) {
      const s = BufferPool.sizeClass(bytes);
      expect(s).toBeGreaterThanOrEqual(bytes);
      expect(s).toBeLessThanOrEqual(Math.max(16, bytes * 1.125 + 16));
      expect(s % 4).toBe(0);
    }
  });
});

describe('grid1d', () => {
  it('covers every invocation within the per-dimension limit', () => {
    const { workgroups } = grid1d(10_000_000, 64);
    expect(workgroups[0]).toBeLessThanOrEqual(65535);
    expect(workgroups[0] * workgroups[1] * 64).toBeGreaterThanOrEqual(10_000_000);
    // flat_index numbers rows of workgroups[0] workgroups: the last row is needed, so no row is idle.
    expect((workgroups[1] - 1) * workgroups[0] * 64).toBeLessThan(10_000_000);
  });
});
