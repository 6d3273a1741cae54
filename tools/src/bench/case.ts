import type { NetworkFigures } from './networks.ts';

/**
 * One row of the benchmark table: the same computation run by several implementations ("subjects")
 * in the same browser, on the same shapes. The first subject is ours; the others are baselines the
 * table compares it with.
 */
export interface BenchCase {
  /** Row label, e.g. 'conv2d 3×3 64→64, 256×256'. `--filter` matches against it. */
  name: string;
  /** Floating-point operations of one call (a multiply-add counts as 2). */
  flops: number;
  /** Whole-network rows: each network the call runs, planned and counted (networks.ts). */
  networks?: NetworkFigures[];
  /** Page module (next to the case file) exporting the subjects' functions. */
  page: URL;
  /** Passed to every subject's function as `args`. */
  args: unknown;
  subjects: BenchSubject[];
  /**
   * Cold start: each subject is called once (no warm-up) in a page of its own, opened for it, so
   * nothing is cached or compiled yet.
   */
  fresh?: boolean;
}

export interface BenchSubject {
  /** 'ours', 'tfjs-webgpu', ... (a column of the table). */
  impl: string;
  /** Export of `page` with the signature of PageBenchFn (page/timing.ts). */
  fn: string;
}
