// y = f(x) over NHWC vec4 groups; lanes past the channel count are written as zero (sigmoid(0) and
// exp(0) are not zero).

//@include flat-index
//@include nhwc

const OP: u32 = {{OP}}u; // see UNARY_CODE in elementwise.ts

struct Params {
  count: u32,      // vec4 groups
  c4: u32,
  c: u32,
  alpha: f32,      // leaky relu slope
}

@group(0) @binding(0) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> slopes: array<vec4<f32>>; // prelu, per channel
@group(0) @binding(2) var<storage, read_write> y: array<vec4<f32>>;
@group(0) @binding(3) var<uniform> u: Params;

fn apply(v: vec4<f32>, g: u32) -> vec4<f32> {
  let zero = vec4<f32>(0.0);
  switch OP {
    case 0u: { return max(v, zero); }
    case 1u: { return clamp(v, zero, vec4<f32>(6.0)); }
    case 2u: { return select(v * u.alpha, v, v >= zero); }
    case 3u: { return select(v * slopes[g], v, v >= zero); }
    case 4u: { return 1.0 / (1.0 + exp(-v)); }
    // tanh(±15) is ±1 in f32; clamping keeps exp-based tanh implementations away from inf/inf.
    case 5u: { return tanh(clamp(v, vec4<f32>(-15.0), vec4<f32>(15.0))); }
    case 6u: { return exp(v); }
    case 7u: { return abs(v); }
    case 8u: { return -v; }
    case 9u: { return sqrt(v); }
    default: { return v * v; }
  }
}

@compute @workgroup_size(FLAT_WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) grid: vec3<u32>) {
  let i = flat_index(gid, grid);
  if (i >= u.count) { return; }
  let g = i % u.c4;
  let valid = channel_lanes(g, u.c);
  y[i] = select(vec4<f32>(0.0), apply(x[i], g), valid);
}
