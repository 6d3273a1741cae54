// Direct 2-D convolution (groups = 1). Activations NHWC in vec4 channel groups; weights packed as one
// mat4x4 per (tap, input group, output group), column j = input channel 4·ci+j, so `w * x` adds the
// contribution of four input channels to four output channels.
//
// The input is pre-padded (see conv2d.ts) so every tap of every pixel this invocation computes is in
// bounds: the inner loop has no bounds checks. Each invocation computes PX consecutive output pixels
// of one row × CB output groups, with the accumulators unrolled into registers; the loads of one
// weight block are shared by PX pixels and one input load by CB groups.
//
// The epilogue (bias, activation, scale, residual) is epilogue.wgsl, prepended by conv2d.ts.

struct Params {
  in_h: u32,
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
  co_blocks: u32,    // w_c4 / CB
  beta: f32,
  act_a: f32,        // leaky slope, or clamp low
  act_b: f32,        // clamp high
}

@group(0) @binding(0) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> w: array<mat4x4<f32>>;
@group(0) @binding(6) var<uniform> u: Params;

@compute @workgroup_size({{WX}}, {{WY}}, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let ox0 = gid.x * {{PX}}u;
  let oy = gid.y;
  if (ox0 >= u.out_w || oy >= u.out_h) { return; }
  let n = gid.z / u.co_blocks;
  let co0 = (gid.z % u.co_blocks) * {{CB}}u;

  //@for i in 0..PX
  //@for b in 0..CB
  var acc${i}_${b} = vec4<f32>(0.0);
  //@end
  //@end

  let px_step = u.stride_x * u.in_c4;
  for (var ky = 0u; ky < u.kh; ky++) {
    let row = ((n * u.in_h + oy * u.stride_y + ky * u.dil_y) * u.in_w + ox0 * u.stride_x) * u.in_c4;
    for (var kx = 0u; kx < u.kw; kx++) {
      let base = row + kx * u.dil_x * u.in_c4;
      let wtap = (ky * u.kw + kx) * u.in_c4 * u.w_c4 + co0;
      for (var ci = 0u; ci < u.in_c4; ci++) {
        let wi = wtap + ci * u.w_c4;
        //@for b in 0..CB
        let w${b} = w[wi + ${b}u];
        //@end
        //@for i in 0..PX
        let x${i} = x[base + ci + ${i}u * px_step];
        //@for b in 0..CB
        acc${i}_${b} += w${b} * x${i};
        //@end
        //@end
      }
    }
  }

  //@for b in 0..CB
  if (co0 + ${b}u < u.out_c4) {
    //@for i in 0..PX
    if (ox0 + ${i}u < u.out_w) {
      store_output(((n * u.out_h + oy) * u.out_w + ox0 + ${i}u) * u.out_c4 + co0 + ${b}u, co0 + ${b}u, acc${i}_${b});
    }
    //@end
  }
  //@end
}
