import { createProgram, programParts, type Program } from './program.ts';

/** A compiled program as a later run can ask for it ahead of use: its label and full WGSL source. */
export interface ProgramSource {
  label: string;
  source: string;
  /** The part of the run that first used it (setProgramPhase): a later run waits for it there. */
  phase?: string;
}

/** What one device's pipeline cache has done so far (report.json, the CLI's --timings). */
export interface PipelineStats {
  /** Distinct compute pipelines on the device (one per label and WGSL source). */
  pipelines: number;
  /** Of those, created ahead of use with createComputePipelineAsync. */
  createdAhead: number;
  /** Wall time of the ahead-of-use batches, from their start until the last of each is made. */
  aheadMs: number;
  /** Created on first use with createComputePipeline: the driver compiles them when they are first submitted. */
  createdOnDemand: number;
  /** Time in the synchronous creation calls, WGSL reflection included (Chromium compiles after the call returns). */
  onDemandMs: number;
  /** Times a context asked for a pipeline another context or an earlier call had already created. */
  reused: number;
}

interface DeviceCache {
  programs: Map<string, Program>;
  order: ProgramSource[];
  stats: PipelineStats;
  /** What programs created from now on are recorded under. */
  phase: string | undefined;
  /** Ahead-of-use creations not finished yet, by the phase that will need them. */
  pending: { phase: string | undefined; done: Promise<void> }[];
}

const caches = new WeakMap<GPUDevice, DeviceCache>();

function cacheOf(device: GPUDevice): DeviceCache {
  let c = caches.get(device);
  if (!c) {
    c = {
      programs: new Map(),
      order: [],
      stats: { pipelines: 0, createdAhead: 0, aheadMs: 0, createdOnDemand: 0, onDemandMs: 0, reused: 0 },
      phase: undefined,
      pending: [],
    };
    caches.set(device, c);
  }
  return c;
}

const keyOf = (label: string, source: string) => `${label}\n${source}`;

/**
 * The program for this label and source on this device, shared by every KernelContext on it: two
 * specialisations that expand to the same WGSL, or two stages that use the same kernel, compile once.
 */
export function sharedProgram(device: GPUDevice, label: string, source: string): Program {
  const c = cacheOf(device);
  const key = keyOf(label, source);
  let p = c.programs.get(key);
  if (p) {
    c.stats.reused++;
    return p;
  }
  const t0 = performance.now();
  p = createProgram(device, label, source);
  c.stats.onDemandMs += performance.now() - t0;
  c.stats.createdOnDemand++;
  c.stats.pipelines++;
  c.programs.set(key, p);
  c.order.push({ label, source, phase: c.phase });
  return p;
}

/**
 * Names the part of a run (a stage) whose first uses the cache records from now on, so that a later
 * run can wait for exactly those ahead-of-use pipelines where it needs them (programsReady).
 */
export function setProgramPhase(device: GPUDevice, phase: string | undefined): void {
  cacheOf(device).phase = phase;
}

/**
 * Waits for the ahead-of-use creations a recorded run first used in `phase`. The caller creates its
 * pipelines synchronously; one still compiling would be compiled a second time on demand.
 */
export async function programsReady(device: GPUDevice, phase: string): Promise<void> {
  await Promise.all(
    cacheOf(device)
      .pending.filter((p) => p.phase === phase)
      .map((p) => p.done),
  );
}

/**
 * Creates these programs with createComputePipelineAsync (a list a previous run of the same code
 * recorded with `programSources`). Chromium compiles them off the thread that runs the GPU work, so a
 * run started without awaiting this goes on while they compile, and waits for each phase's
 * (programsReady) where that phase begins. Each program joins the cache as soon as it is made; the
 * promise resolves when all are. Sources that fail to compile are skipped: the on-demand path reports
 * their error where they are used.
 */
export async function createProgramsAhead(
  device: GPUDevice,
  sources: readonly ProgramSource[],
): Promise<{ created: number; ms: number }> {
  const c = cacheOf(device);
  const t0 = performance.now();
  const todo = sources.filter((s) => !c.programs.has(keyOf(s.label, s.source)));
  let created = 0;
  const all = todo.map(async ({ label, source, phase }) => {
    let p: Program | undefined;
    try {
      p = await createProgramAsync(device, label, source);
    } catch {
      return;
    }
    const key = keyOf(label, source);
    // An on-demand use got there first: that one is already in use.
    if (c.programs.has(key)) return;
    c.programs.set(key, p);
    c.order.push({ label, source, phase });
    c.stats.createdAhead++;
    c.stats.pipelines++;
    created++;
  });
  const entries = todo.map((s, i) => ({ phase: s.phase, done: all[i] }));
  c.pending.push(...entries);
  await Promise.all(all);
  c.pending = c.pending.filter((e) => !entries.includes(e));
  const ms = performance.now() - t0;
  c.stats.aheadMs += ms;
  return { created, ms };
}

async function createProgramAsync(device: GPUDevice, label: string, source: string): Promise<Program> {
  const { descriptor, ...parts } = programParts(device, label, source);
  return { ...parts, pipeline: await device.createComputePipelineAsync(descriptor) };
}

/** Every program this device has created, in first-use order: what a later run can create ahead. */
export function programSources(device: GPUDevice): ProgramSource[] {
  return [...cacheOf(device).order];
}

export function pipelineStats(device: GPUDevice): PipelineStats {
  const s = cacheOf(device).stats;
  return { ...s, aheadMs: Math.round(s.aheadMs), onDemandMs: Math.round(s.onDemandMs) };
}

/**
 * What the cache did after `before` (an earlier pipelineStats of the same device): a run on a device
 * kept between runs reports its own pipelines, not the device's history.
 */
export function pipelineStatsSince(device: GPUDevice, before: PipelineStats): PipelineStats {
  const now = pipelineStats(device);
  const since = { ...now };
  for (const k of Object.keys(now) as (keyof PipelineStats)[]) since[k] = now[k] - before[k];
  return since;
}
