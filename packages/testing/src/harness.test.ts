import { describe, expect, expectTypeOf, it } from 'vitest';
import { useGpuPage } from './use-gpu-page.ts';

const gpu = useGpuPage();
const HARNESS = new URL('./harness.gpu.ts', import.meta.url);
const harness = gpu.module<typeof import('./harness.gpu.ts')>(HARNESS);
// The same module through the open page itself, as the CLI and the bench use it.
const direct = () => gpu.page.module<typeof import('./harness.gpu.ts')>(HARNESS);

describe('GPU page harness', () => {
  it('runs a page export through the typed module and brings typed arrays back as typed arrays', async () => {
    const got = await harness.echo({
      values: new Float32Array([1.5, -2]),
      bytes: new Uint8Array([7, 8, 9]),
      label: 'ab',
    });
    expectTypeOf(got.doubled).toExtend<Float32Array>();
    expectTypeOf(got.nested[0].ids).toExtend<Int32Array>();
    expect(got.doubled).toEqual(new Float32Array([3, -4]));
    expect(got.bytes).toEqual(new Uint8Array([7, 8, 9]));
    expect(got.label).toBe('AB');
    expect(got.nested[0].ids).toEqual(new Int32Array([1, -2]));
  });

  it('brings back exactly the bytes of a view into a larger buffer and of a multi-megabyte array', async () => {
    const n = 5 * 2 ** 20 + 3;
    const got = await harness.views({ n });
    expect(got.middle).toEqual(new Float32Array([3.5, 4.5, 5.5, 6.5]));
    expect(got.large.byteLength).toBe(n);
    let wrong = 0;
    for (let i = 0; i < n; i++) if (got.large[i] !== ((i * 31 + (i >> 8)) & 255)) wrong++;
    expect(wrong).toBe(0);
  });

  it('runs WGSL on the page’s device; an export without arguments takes none', async () => {
    const x = Float32Array.from({ length: 100 }, (_, i) => i - 50);
    expect(await direct().doubleOnGpu({ x })).toEqual(x.map((v) => 2 * v));
    expect(await harness.maxBufferSize()).toBeGreaterThanOrEqual(256 * 2 ** 20);
  });

  it('fails a call on a GPU validation error, naming the export, and keeps the page usable', async () => {
    await expect(harness.invalidBuffer()).rejects.toThrow(/^GPU error in invalidBuffer: .+/);
    expect(await harness.maxBufferSize()).toBeGreaterThan(0);
  });

  it('the module type keeps only page functions and checks their arguments', async () => {
    type Module = typeof harness;
    expectTypeOf<Module>().toHaveProperty('echo');
    expectTypeOf<Module>().not.toHaveProperty('helper');
    expectTypeOf<Module['doubleOnGpu']>().parameter(0).toEqualTypeOf<{ x: Float32Array }>();
    // A name the module does not export fails in the page with the harness's message.
    const untyped = harness as unknown as Record<string, (a?: unknown) => Promise<unknown>>;
    await expect(untyped.nothing!()).rejects.toThrow(/has no exported function nothing/);
  });
});
