// y = act((x - mean) / sqrt(variance + eps) · gamma + beta), per channel. Instance norm reads one
// mean/variance row per sample (stats_stride = c4); batch norm one row for all (stats_stride = 0).
// Lanes past the channel count are written as zero.

//@include flat-index
//@include nhwc

struct Params {
  count: u32,        // vec4 groups
  c4: u32,
  c: u32,
  sample_vec4s: u32, // h · w · c4
  stats_stride: u32,
  eps: f32,
  has_gamma: u32,
  has_beta: u32,
  relu: u32,
}

@group(0) @binding(0) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> mean: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> variance: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read> gamma: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read> beta: array<vec4<f32>>;
@group(0) @binding(5) var<storage, read_write> y: array<vec4<f32>>;
@group(0) @binding(6) var<uniform> u: Params;

@compute @workgroup_size(FLAT_WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) grid: vec3<u32>) {
  let i = flat_index(gid, grid);
  if (i >= u.count) { return; }
  let g = i % u.c4;
  let s = (i / u.sample_vec4s) * u.stats_stride + g;
  var v = (x[i] - mean[s]) * inverseSqrt(variance[s] + u.eps);
  if (u.has_gamma != 0u) { v *= gamma[g]; }
  if (u.has_beta != 0u) { v += beta[g]; }
  if (u.relu != 0u) { v = max(v, vec4<f32>(0.0)); }
  let valid = channel_lanes(g, u.c);
  y[i] = select(vec4<f32>(0.0), v, valid);
}
