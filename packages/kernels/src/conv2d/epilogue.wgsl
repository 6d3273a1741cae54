// Shared epilogue of the convolution kernels (conv2d, grouped, depthwise, conv-transpose2d): it is
// prepended to each kernel's source, which declares x (binding 0), w (1), u (6) and a Params struct
// with out_c, beta, act_a, act_b.
//
// y = residual + beta · act(acc + bias); lanes past out_c are written as zero.

const ACT: u32 = {{ACT}}u;          // 0 linear, 1 relu, 2 leaky relu, 3 prelu, 4 clamp, 5 tanh, 6 sigmoid
const HAS_RESIDUAL: bool = {{HAS_RESIDUAL}};

@group(0) @binding(2) var<storage, read> bias: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read> alpha: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read> residual: array<vec4<f32>>;
@group(0) @binding(5) var<storage, read_write> y: array<vec4<f32>>;

fn activate(v: vec4<f32>, co: u32) -> vec4<f32> {
  switch ACT {
    case 1u: { return max(v, vec4<f32>(0.0)); }
    case 2u: { return select(v * u.act_a, v, v >= vec4<f32>(0.0)); }
    case 3u: { return select(v * alpha[co], v, v >= vec4<f32>(0.0)); }
    case 4u: { return clamp(v, vec4<f32>(u.act_a), vec4<f32>(u.act_b)); }
    case 5u: { return tanh(v); }
    case 6u: { return 1.0 / (1.0 + exp(-v)); }
    default: { return v; }
  }
}

/** Writes output vec4 `o` (channel group `co`) from its accumulator. */
fn store_output(o: u32, co: u32, acc: vec4<f32>) {
  let lanes = vec4<u32>(co * 4u) + vec4<u32>(0u, 1u, 2u, 3u);
  var v = activate(acc + bias[co], co) * u.beta;
  if (HAS_RESIDUAL) { v += residual[o]; }
  y[o] = select(vec4<f32>(0.0), v, lanes < vec4<u32>(u.out_c));
}
