// conv-epilogue: the end of every convolution kernel, y = residual + beta · act(acc + bias), with
// lanes past out_c written as zero.

//@include conv-params
//@include nhwc

const ACT: u32 = {{ACT}}u;          // ACT_CODE in layer.ts: 0 linear, 1 relu, 2 leaky relu, 3 prelu, 4 clamp, 5 tanh, 6 sigmoid
const HAS_RESIDUAL: bool = {{HAS_RESIDUAL}};

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
  var v = activate(acc + bias[co], co) * u.beta;
  if (HAS_RESIDUAL) { v += residual[o]; }
  y[o] = select(vec4<f32>(0.0), v, channel_lanes(co, u.out_c));
}
