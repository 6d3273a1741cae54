// conv-params: what every convolution kernel of this folder binds, declared once. The kernel names its
// element types before including this:
//   alias ConvInput = vec4<f32>;     // NHWC vec4 groups (f32 in the grouped kernel, whose lanes gather)
//   alias ConvWeight = mat4x4<f32>;  // one block per (tap, input group, output group); vec4<f32> when
//                                    // each output channel reads one input channel per tap
// Params is filled by convParams (layer.ts); members a kernel does not use hold neutral values.

struct Params {
  in_h: u32,         // the pre-padded input
  in_w: u32,
  in_c4: u32,
  out_h: u32,
  out_w: u32,
  out_c4: u32,
  out_c: u32,
  w_c4: u32,         // output groups in the packed weights (out_c4 rounded up to CB)
  kh: u32,
  kw: u32,
  stride_y: u32,
  stride_x: u32,
  dil_y: u32,
  dil_x: u32,
  group_in: u32,     // grouped: input channels per group
  group_out: u32,    // grouped: output channels per group
  pad_t: u32,        // transposed: rows cropped from the top of the full output
  pad_l: u32,        // transposed: columns cropped from its left
  tap_y0: u32,       // transposed: zero rows added on top of the input
  tap_x0: u32,       // transposed: zero columns added on the left
  co_blocks: u32,    // w_c4 / CB
  beta: f32,         // epilogue: scale of the activated output
  act_a: f32,        // epilogue: leaky slope, or clamp low
  act_b: f32,        // epilogue: clamp high
}

@group(0) @binding(0) var<storage, read> x: array<ConvInput>;
@group(0) @binding(1) var<storage, read> w: array<ConvWeight>;
@group(0) @binding(2) var<storage, read> bias: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read> alpha: array<vec4<f32>>;  // PReLU slopes
@group(0) @binding(4) var<storage, read> residual: array<vec4<f32>>;
@group(0) @binding(5) var<storage, read_write> y: array<vec4<f32>>;
@group(0) @binding(6) var<uniform> u: Params;
