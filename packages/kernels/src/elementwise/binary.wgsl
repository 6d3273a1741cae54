// y = a ⊕ b over NHWC vec4 groups. b is either a tensor of a's shape, one value per channel (and per
// sample when b_sample_stride > 0), a single value (lane x of b[0]), the uniform `scalar`, or one
// value per pixel (a one-channel [N,H,W,1] tensor, e.g. a mask). Lanes past the channel count are
// written as zero (b's pad lanes are zero, so 0/0 would otherwise be NaN).

//@include flat-index
//@include nhwc

const OP: u32 = {{OP}}u; // 0 add, 1 sub, 2 mul, 3 div, 4 min, 5 max

struct Params {
  count: u32,           // vec4 groups in a
  c4: u32,
  c: u32,
  sample_vec4s: u32,    // h · w · c4
  b_mode: u32,          // 0 same shape, 1 per channel, 2 single value in b, 3 uniform scalar, 4 per pixel
  b_sample_stride: u32, // per-channel mode: c4 when b has one row per sample, else 0
  scalar: f32,
}

@group(0) @binding(0) var<storage, read> a: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> b: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> y: array<vec4<f32>>;
@group(0) @binding(3) var<uniform> u: Params;

fn apply(p: vec4<f32>, q: vec4<f32>) -> vec4<f32> {
  switch OP {
    case 0u: { return p + q; }
    case 1u: { return p - q; }
    case 2u: { return p * q; }
    case 3u: { return p / q; }
    case 4u: { return min(p, q); }
    default: { return max(p, q); }
  }
}

@compute @workgroup_size(FLAT_WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) grid: vec3<u32>) {
  let i = flat_index(gid, grid);
  if (i >= u.count) { return; }
  let g = i % u.c4;
  var q: vec4<f32>;
  switch u.b_mode {
    case 0u: { q = b[i]; }
    case 1u: { q = b[(i / u.sample_vec4s) * u.b_sample_stride + g]; }
    case 2u: { q = vec4<f32>(b[0].x); }
    case 4u: { q = vec4<f32>(b[i / u.c4].x); }
    default: { q = vec4<f32>(u.scalar); }
  }
  let valid = channel_lanes(g, u.c);
  y[i] = select(vec4<f32>(0.0), apply(a[i], q), valid);
}
