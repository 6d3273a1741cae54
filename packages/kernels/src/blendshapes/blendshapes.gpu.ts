// Page half of blendshapes.test.ts: runs in headless Chromium with a real GPUDevice.
import { KernelContext } from '../core/context.ts';
import { Blendshapes } from './blendshapes.ts';

export interface BlendshapesCase {
  neutral: Float32Array;
  basis: Float32Array;
  weights: Float32Array;
  /** Timed repetitions after one warm-up (0: parity only). */
  repeats?: number;
}

export async function runBlendshapes(device: GPUDevice, c: BlendshapesCase) {
  const ctx = new KernelContext(device);
  const layer = Blendshapes.create(ctx, c.neutral, c.basis);
  const out = layer.run(c.weights);
  const data = await out.read();
  // The pad lanes of the last vec4 must be zero (the tensor convention).
  const raw = new Float32Array(await ctx.readBuffer(out.buffer, out.byteLength));
  const padLanes = Array.from(raw.subarray(c.neutral.length));
  out.dispose();
  let msPerRun: number | undefined;
  const repeats = c.repeats ?? 0;
  if (repeats > 0) {
    const w = c.weights.slice();
    const t0 = performance.now();
    for (let i = 0; i < repeats; i++) {
      w[0] = i * 1e-3;
      layer.run(w).dispose();
    }
    await ctx.finish();
    msPerRun = (performance.now() - t0) / repeats;
  }
  layer.dispose();
  const pool = ctx.pool.stats();
  ctx.dispose();
  return { data, padLanes, liveBuffers: pool.liveBuffers, msPerRun, adapter: ctx.adapterArchitecture };
}

/** Runs with mismatched shapes to check the error message. */
export async function runMismatched(device: GPUDevice, c: { rows: number; basisValues: number }) {
  const ctx = new KernelContext(device);
  try {
    Blendshapes.create(ctx, new Float32Array(c.rows), new Float32Array(c.basisValues), 'ict');
  } finally {
    ctx.dispose();
  }
}
