// Page half of gpu.test.ts: runs in headless Chromium with a real GPUDevice.
import { KernelContext } from '@avatarme/kernels';
import { MorphableModelGpu, residentMorphableModelGpu } from './gpu.ts';

export async function evaluateOnGpu(
  device: GPUDevice,
  a: {
    neutral: Float32Array;
    identity: Float32Array;
    expression: Float32Array;
    counts: [number, number];
    wId: Float32Array;
    wExp: Float32Array;
  },
) {
  const ctx = new KernelContext(device);
  const gpu = MorphableModelGpu.create(ctx, {
    neutral: a.neutral,
    identity: { count: a.counts[0], names: [], data: a.identity },
    expression: { count: a.counts[1], names: [], data: a.expression },
  });
  const out = gpu.evaluate(a.wId, a.wExp);
  const data = await out.read();
  out.dispose();
  gpu.dispose();
  const live = ctx.pool.stats().liveBuffers;
  ctx.dispose();
  return { data, live };
}

/** The basis kept on the device: leased twice for one model object, anew for another object. */
export async function residentBasis(
  device: GPUDevice,
  a: { neutral: Float32Array; identity: Float32Array; expression: Float32Array; counts: [number, number] },
) {
  const model = () => ({
    neutral: a.neutral,
    identity: { count: a.counts[0], names: [], data: a.identity },
    expression: { count: a.counts[1], names: [], data: a.expression },
  });
  const one = model();
  const first = await residentMorphableModelGpu(device, one);
  first.release();
  const second = await residentMorphableModelGpu(device, one);
  const other = await residentMorphableModelGpu(device, model());
  const wId = new Float32Array(a.counts[0]).fill(0.5);
  const wExp = new Float32Array(a.counts[1]).fill(-0.25);
  const evaluate = async (gpu: MorphableModelGpu) => {
    const out = gpu.evaluate(wId, wExp);
    const data = await out.read();
    out.dispose();
    return Array.from(data);
  };
  const result = {
    sameObject: first.value === second.value,
    otherObject: other.value !== second.value,
    sameValues: JSON.stringify(await evaluate(second.value)) === JSON.stringify(await evaluate(other.value)),
  };
  second.release();
  other.release();
  return result;
}
