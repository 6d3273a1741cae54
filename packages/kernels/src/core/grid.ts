/**
 * Dispatch sizes for a flat range of `count` invocations when one dimension would exceed the
 * 65,535-workgroup limit: rows of `perRow` workgroups. Shaders recover the flat index as
 * gid.x + gid.y * (perRow * workgroupSize).
 */
export function grid1d(
  count: number,
  workgroupSize: number,
  maxPerDim = 65535,
): { workgroups: [number, number, number]; rowStride: number } {
  const groups = Math.ceil(count / workgroupSize);
  const perRow = Math.min(groups, maxPerDim);
  const rows = Math.ceil(groups / perRow);
  return { workgroups: [perRow, rows, 1], rowStride: perRow * workgroupSize };
}
