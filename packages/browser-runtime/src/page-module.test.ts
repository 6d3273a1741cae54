import { describe, expect, it } from 'vitest';
import { pageModuleProxy } from './page-module.ts';

describe('pageModuleProxy', () => {
  it('turns a property access into a call of that export with the arguments and options', async () => {
    const calls: unknown[][] = [];
    const mod = pageModuleProxy<{ run(d: GPUDevice, a: { n: number }): number }>(async (...c) => {
      calls.push(c);
      return 42;
    });
    expect(await mod.run({ n: 3 }, { timeoutMs: 5 })).toBe(42);
    expect(calls).toEqual([['run', { n: 3 }, { timeoutMs: 5 }]]);
  });
  it('is not mistaken for a promise: awaiting the proxy gives the proxy', async () => {
    const mod = pageModuleProxy<object>(async () => 0);
    expect(await mod).toBe(mod);
    expect((mod as Record<string, unknown>).then).toBeUndefined();
  });
  it('passes an empty object when an export is called without arguments', async () => {
    let seen: unknown;
    const mod = pageModuleProxy<{ f(d: GPUDevice): void }>(async (_n, a) => (seen = a));
    await mod.f();
    expect(seen).toEqual({});
  });
});
