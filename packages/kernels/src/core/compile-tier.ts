/**
 * Which specialisation of a kernel family a dispatch should use: one that compiles fast, or one that
 * runs fast and compiles slowly. On SwiftShader a convolution with 128 accumulators unrolled runs
 * 2-3× faster than a 4-accumulator one but takes 4-6 s to compile against 0.2-0.4 s (one 3×3 conv,
 * measured in Chromium 156): for the small networks of a one-shot run (face detection, landmarks,
 * tests) the compile is nearly all of the time. The choice is a rent-or-buy decision made per device
 * and family: run the light specialisation until the work done with it would have paid for the
 * heavy one's compile, then switch. Results are the same either way (same summation order).
 */
export type CompileTier = 'light' | 'heavy';

/** 'adaptive' (default): light until the family's work passes its threshold; or one tier always. */
export type CompileTierPolicy = 'adaptive' | CompileTier;

interface DeviceLedger {
  policy: CompileTierPolicy;
  work: Map<string, number>;
}

const ledgers = new WeakMap<GPUDevice, DeviceLedger>();

function ledgerOf(device: GPUDevice): DeviceLedger {
  let l = ledgers.get(device);
  if (!l) {
    l = { policy: 'adaptive', work: new Map() };
    ledgers.set(device, l);
  }
  return l;
}

/**
 * Sets the policy for every kernel context on this device: a benchmark that times steady-state
 * throughput asks for 'heavy', so no run in its timed loop pays a compile.
 */
export function setCompileTierPolicy(device: GPUDevice, policy: CompileTierPolicy): void {
  ledgerOf(device).policy = policy;
}

/**
 * Forgets the work recorded on this device, so that the next run decides its tiers as a fresh page
 * would: a page kept between runs (the CLI's kept browser) would otherwise make whichever run crosses
 * a threshold pay the heavy compiles. Pipelines already compiled stay cached.
 */
export function resetCompileTierWork(device: GPUDevice): void {
  ledgerOf(device).work.clear();
}

export function compileTierPolicy(device: GPUDevice): CompileTierPolicy {
  return ledgerOf(device).policy;
}

/**
 * Records `work` (multiply-adds of this dispatch) for `family` on the device and returns the tier
 * this dispatch should use: heavy once the family's work so far, this dispatch included, reaches
 * `heavyAfter`.
 */
export function compileTier(
  device: GPUDevice,
  family: string,
  work: number,
  heavyAfter: number,
): CompileTier {
  const l = ledgerOf(device);
  if (l.policy !== 'adaptive') return l.policy;
  const total = (l.work.get(family) ?? 0) + work;
  l.work.set(family, total);
  return total >= heavyAfter ? 'heavy' : 'light';
}
