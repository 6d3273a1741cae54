import flatIndex from './wgsl/flat-index.wgsl?raw';
import nhwc from './wgsl/nhwc.wgsl?raw';
import welford from './wgsl/welford.wgsl?raw';
import type { WgslIncludes } from './template.ts';

/**
 * The snippets every program can `//@include` (KernelContext.program adds them to the ones a kernel
 * passes): the flat index of a 1-D dispatch, NHWC indexing, and Welford / Chan summaries.
 */
export const WGSL_INCLUDES: WgslIncludes = {
  'flat-index': flatIndex,
  nhwc,
  welford,
};
