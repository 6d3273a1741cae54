/**
 * Dispatch sizes for a flat range of `count` invocations when one dimension would exceed the
 * 65,535-workgroup limit: rows of at most `maxPerDim` workgroups. Shaders recover the flat index with
 * flat_index (core/wgsl/flat-index.wgsl), which reads the row width from num_workgroups.
 */
export function grid1d(
  count: number,
  workgroupSize: number,
  maxPerDim = 65535,
): { workgroups: [number, number, number] } {
  const groups = Math.ceil(count / workgroupSize);
  const perRow = Math.min(groups, maxPerDim);
  const rows = Math.ceil(groups / perRow);
  return { workgroups: [perRow, rows, 1] };
}
