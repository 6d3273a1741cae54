// Adjoints of the element-wise ops, dx = dy · f'(·), over NHWC vec4 groups.
//
// OP 0–5, activations, take the activation's output y, not its input: a convolution with a fused
// activation keeps only its output, and for each of these f' is a function of f (relu: y > 0;
// clamp: lo < y < hi; leaky/prelu with slopes ≥ 0: y > 0 ? 1 : slope; sigmoid: y(1 − y); tanh:
// 1 − y²). At a kink the derivative taken is the one of the open side (relu'(0) = 0).
// OP 6–7, min(x, b) and max(x, b), take x and pass dy where x was chosen (x ≤ b for min, x ≥ b for
// max, so a tie goes to x, as TF's Minimum/Maximum gradients do); b is a tensor of x's shape, one
// value per channel (p) or the uniform `scalar`.

//@include flat-index
//@include nhwc

const OP: u32 = {{OP}}u; // see GRAD_CODE in backward.ts

struct Params {
  count: u32,  // vec4 groups
  c4: u32,
  c: u32,
  b_mode: u32, // OP 6–7: 0 tensor b, 1 per channel in p, 3 uniform scalar
  a: f32,      // leaky slope, clamp low bound, or the scalar b
  hi: f32,     // clamp high bound
}

@group(0) @binding(0) var<storage, read> y: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> dy: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> p: array<vec4<f32>>; // prelu slopes, per-channel b or tensor b
@group(0) @binding(3) var<storage, read_write> dx: array<vec4<f32>>;
@group(0) @binding(4) var<uniform> u: Params;

fn derivative(v: vec4<f32>, i: u32, g: u32) -> vec4<f32> {
  let one = vec4<f32>(1.0);
  let zero = vec4<f32>(0.0);
  switch OP {
    case 0u: { return select(zero, one, v > zero); }
    case 1u: { return select(zero, one, (v > vec4<f32>(u.a)) & (v < vec4<f32>(u.hi))); }
    case 2u: { return select(vec4<f32>(u.a), one, v > zero); }
    case 3u: { return select(p[g], one, v > zero); }
    case 4u: { return v * (one - v); }
    case 5u: { return one - v * v; }
    default: {
      var b: vec4<f32>;
      switch u.b_mode {
        case 0u: { b = p[i]; }
        case 1u: { b = p[g]; }
        default: { b = vec4<f32>(u.a); }
      }
      if (OP == 6u) { return select(zero, one, v <= b); }
      return select(zero, one, v >= b);
    }
  }
}

@compute @workgroup_size(FLAT_WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) grid: vec3<u32>) {
  let i = flat_index(gid, grid);
  if (i >= u.count) { return; }
  let g = i % u.c4;
  dx[i] = select(vec4<f32>(0.0), dy[i] * derivative(y[i], i, g), channel_lanes(g, u.c));
}
