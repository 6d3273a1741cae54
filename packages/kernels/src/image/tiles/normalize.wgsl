// Sliding-window blending, final step: out = acc / max(weight_sum, eps).

//@include flat-index

struct Params {
  c4: u32,
  count: u32,
  eps: f32,
}

@group(0) @binding(0) var<storage, read> acc: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> weight_sum: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> dst: array<vec4<f32>>;
@group(0) @binding(3) var<uniform> u: Params;

@compute @workgroup_size(FLAT_WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) grid: vec3<u32>) {
  let i = flat_index(gid, grid);
  if (i >= u.count) { return; }
  dst[i] = acc[i] / max(weight_sum[i / u.c4].x, u.eps);
}
