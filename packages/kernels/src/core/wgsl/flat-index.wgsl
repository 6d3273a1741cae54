// flat-index: one invocation per element of a flat range of `count` (vec4s, pixels, triangles...).
// A range longer than 65,535 workgroups is dispatched as rows of workgroups (grid1d in core/grid.ts,
// through KernelContext.dispatchFlat); a row is num_workgroups.x workgroups wide, so the stride of
// gid.y comes from the dispatch itself. The entry point declares @workgroup_size(FLAT_WORKGROUP_SIZE),
// takes the global_invocation_id and num_workgroups builtins and returns when the index is past count.

const FLAT_WORKGROUP_SIZE: u32 = 64u;

fn flat_index(gid: vec3<u32>, groups: vec3<u32>) -> u32 {
  return gid.x + gid.y * groups.x * FLAT_WORKGROUP_SIZE;
}
