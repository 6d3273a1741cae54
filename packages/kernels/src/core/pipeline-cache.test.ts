import { describe, expect, it } from 'vitest';
import { KernelContext } from './context.ts';
import {
  createProgramsAhead,
  pipelineStats,
  pipelineStatsSince,
  programSources,
  programsReady,
  setProgramPhase,
} from './pipeline-cache.ts';

/** Counts what a context asks the device to compile; no GPU needed for the cache's bookkeeping. */
function countingDevice() {
  const made = { sync: 0, async: 0, modules: 0 };
  const device = {
    limits: {},
    createShaderModule: () => (made.modules++, {}),
    createBindGroupLayout: () => ({}),
    createPipelineLayout: () => ({}),
    createComputePipeline: () => (made.sync++, {}),
    createComputePipelineAsync: async () => (made.async++, {}),
  };
  return { device: device as unknown as GPUDevice, made };
}

const SHADER = `
@group(0) @binding(0) var<storage, read_write> out: array<f32>;
@compute @workgroup_size({{WG}}) fn main(@builtin(global_invocation_id) id: vec3u) { out[id.x] = {{V}}; }
`;

(globalThis as { GPUShaderStage?: unknown }).GPUShaderStage ??= { COMPUTE: 4 };

describe('device pipeline cache', () => {
  it('compiles one pipeline per WGSL source for every context on a device', () => {
    const { device, made } = countingDevice();
    const a = new KernelContext(device);
    const b = new KernelContext(device);
    const p1 = a.program('fill', SHADER, { WG: 64, V: '1.0' });
    // Another stage's context, and values that expand to the same WGSL (1.0 and '1.0').
    const p2 = b.program('fill', SHADER, { WG: 64, V: '1.0' });
    const p3 = b.program('fill', SHADER, { WG: 64, V: (1.0).toFixed(1) });
    const p4 = a.program('fill', SHADER, { WG: 32, V: '1.0' });
    expect(p2).toBe(p1);
    expect(p3).toBe(p1);
    expect(p4).not.toBe(p1);
    expect(made.sync).toBe(2);
    const s = pipelineStats(device);
    expect([s.pipelines, s.createdOnDemand, s.createdAhead]).toEqual([2, 2, 0]);
  });

  it('creates a recorded list ahead, asynchronously, and later calls use those pipelines', async () => {
    const first = countingDevice();
    const ctx = new KernelContext(first.device);
    ctx.program('fill', SHADER, { WG: 64, V: '2.0' });
    ctx.program('fill', SHADER, { WG: 16, V: '3.0' });
    const recorded = programSources(first.device);
    expect(recorded).toHaveLength(2);

    const next = countingDevice();
    const ahead = await createProgramsAhead(next.device, recorded);
    expect(ahead.created).toBe(2);
    expect(next.made.async).toBe(2);
    const later = new KernelContext(next.device);
    later.program('fill', SHADER, { WG: 64, V: '2.0' });
    later.program('fill', SHADER, { WG: 16, V: '3.0' });
    expect(next.made.sync).toBe(0);
    const s = pipelineStats(next.device);
    expect([s.pipelines, s.createdAhead, s.createdOnDemand]).toEqual([2, 2, 0]);
  });

  it('records the phase of first use; a later run waits for one phase while the others compile', async () => {
    const first = countingDevice();
    const ctx = new KernelContext(first.device);
    setProgramPhase(first.device, 'detect');
    ctx.program('fill', SHADER, { WG: 64, V: '5.0' });
    setProgramPhase(first.device, 'export');
    ctx.program('fill', SHADER, { WG: 32, V: '5.0' });
    ctx.program('fill', SHADER, { WG: 64, V: '5.0' }); // reused: keeps its first phase
    const recorded = programSources(first.device);
    expect(recorded.map((r) => r.phase)).toEqual(['detect', 'export']);

    // Async creations that finish only when the test says so.
    const next = countingDevice();
    const finish: (() => void)[] = [];
    (
      next.device as unknown as { createComputePipelineAsync: () => Promise<object> }
    ).createComputePipelineAsync = () => new Promise((ok) => finish.push(() => ok({})));
    const all = createProgramsAhead(next.device, recorded);
    expect(finish).toHaveLength(2);
    let detectReady = false;
    const detect = programsReady(next.device, 'detect').then(() => (detectReady = true));
    await Promise.resolve();
    expect(detectReady).toBe(false);
    finish[0]();
    await detect;
    // The detect phase's program is there; the export phase's is still compiling.
    const later = new KernelContext(next.device);
    later.program('fill', SHADER, { WG: 64, V: '5.0' });
    expect(next.made.sync).toBe(0);
    let exportReady = false;
    const exported = programsReady(next.device, 'export').then(() => (exportReady = true));
    await Promise.resolve();
    expect(exportReady).toBe(false);
    finish[1]();
    await exported;
    expect(await all).toMatchObject({ created: 2 });
    later.program('fill', SHADER, { WG: 32, V: '5.0' });
    expect(next.made.sync).toBe(0);
    // Nothing pending: a phase nobody recorded is ready at once.
    await programsReady(next.device, 'fit');
  });

  it('keeps the on-demand pipeline when a use comes before its ahead-of-use creation finished', async () => {
    const { device, made } = countingDevice();
    const ctx = new KernelContext(device);
    const source = programSources(
      (() => {
        const d = countingDevice().device;
        new KernelContext(d).program('fill', SHADER, { WG: 64, V: '6.0' });
        return d;
      })(),
    );
    const ahead = createProgramsAhead(device, source);
    const onDemand = ctx.program('fill', SHADER, { WG: 64, V: '6.0' });
    expect(made.sync).toBe(1);
    expect((await ahead).created).toBe(0);
    expect(new KernelContext(device).program('fill', SHADER, { WG: 64, V: '6.0' })).toBe(onDemand);
  });

  it('skips a recorded source that no longer compiles and leaves it to the on-demand path', async () => {
    const { device, made } = countingDevice();
    const ahead = await createProgramsAhead(device, [{ label: 'broken', source: 'not wgsl' }]);
    expect(ahead.created).toBe(0);
    expect(made.async).toBe(0);
  });

  it("a later context's stats count only what happened since it was made", () => {
    const { device } = countingDevice();
    const first = new KernelContext(device);
    first.program('fill', SHADER, { WG: 64, V: '4.0' });
    const run = new KernelContext(device);
    run.program('fill', SHADER, { WG: 64, V: '4.0' });
    run.program('fill', SHADER, { WG: 8, V: '4.0' });
    const s = pipelineStatsSince(device, run.pipelinesAtStart);
    expect([s.pipelines, s.createdOnDemand, s.reused]).toEqual([1, 1, 1]);
    expect(pipelineStats(device).pipelines).toBe(2);
  });
});
