// Adjoint of the mean over H×W: every pixel of sample n receives dy[n, c] / (H·W).

//@include flat-index
//@include nhwc

struct Params {
  count: u32, // dx vec4 groups
  h: u32,
  w: u32,
  c4: u32,
  c: u32,
  inv_hw: f32,
}

@group(0) @binding(0) var<storage, read> dy: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> dx: array<vec4<f32>>;
@group(0) @binding(2) var<uniform> u: Params;

@compute @workgroup_size(FLAT_WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) grid: vec3<u32>) {
  let i = flat_index(gid, grid);
  if (i >= u.count) { return; }
  let p = nhwc_decode(i, u.h, u.w, u.c4);
  dx[i] = select(vec4<f32>(0.0), dy[p.n * u.c4 + p.g] * u.inv_hw, channel_lanes(p.g, u.c));
}
