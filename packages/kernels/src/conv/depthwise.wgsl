// Depthwise 2-D convolution with channel multiplier 1 (groups = in channels = out channels): output
// channel c only reads input channel c, so a tap is one vec4 multiply-add per four channels, with no
// reduction over input channels. Weights are one vec4 per (tap, channel group).
//
// Like conv2d.wgsl the input is pre-padded so the loops have no bounds checks; each invocation
// computes PX consecutive output pixels of one row × CB channel groups, sharing each weight load
// across the PX pixels.

alias ConvInput = vec4<f32>;
alias ConvWeight = vec4<f32>;
//@include conv-params
//@include conv-epilogue

@compute @workgroup_size({{WX}}, {{WY}}, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let ox0 = gid.x * {{PX}}u;
  let oy = gid.y;
  if (ox0 >= u.out_w || oy >= u.out_h) { return; }
  let n = gid.z / u.co_blocks;
  let c0 = (gid.z % u.co_blocks) * {{CB}}u;

  //@for i in 0..PX
  //@for b in 0..CB
  var acc${i}_${b} = vec4<f32>(0.0);
  //@end
  //@end

  let px_step = u.stride_x * u.in_c4;
  for (var ky = 0u; ky < u.kh; ky++) {
    let row = ((n * u.in_h + oy * u.stride_y + ky * u.dil_y) * u.in_w + ox0 * u.stride_x) * u.in_c4 + c0;
    let wrow = ky * u.kw * u.w_c4 + c0;
    for (var kx = 0u; kx < u.kw; kx++) {
      let base = row + kx * u.dil_x * u.in_c4;
      let wi = wrow + kx * u.w_c4;
      //@for b in 0..CB
      let w${b} = w[wi + ${b}u];
      //@end
      //@for i in 0..PX
      //@for b in 0..CB
      acc${i}_${b} = fma(x[base + ${i}u * px_step + ${b}u], w${b}, acc${i}_${b});
      //@end
      //@end
    }
  }

  //@for b in 0..CB
  if (c0 + ${b}u < u.out_c4) {
    //@for i in 0..PX
    if (ox0 + ${i}u < u.out_w) {
      store_output(((n * u.out_h + oy) * u.out_w + ox0 + ${i}u) * u.out_c4 + c0 + ${b}u, c0 + ${b}u, acc${i}_${b});
    }
    //@end
  }
  //@end
}
