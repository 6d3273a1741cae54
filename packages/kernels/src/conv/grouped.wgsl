// Grouped 2-D convolution for any group count (groups > 1 and not the depthwise multiplier-1 case,
// which has its own kernel). Groups need not align with vec4 channel groups, so each of the four
// lanes of an output group gathers its own input channels: lane j of output group co reads input
// channel group(4·co+j)·group_in + ci. The work is exactly the grouped convolution's (no zero blocks
// of a block-diagonal dense weight). Weights are one vec4 per (tap, ci < group_in, output group):
// lane j holds the weight of output channel 4·co+j.
//
// The input is pre-padded as for conv2d.wgsl; each invocation computes PX pixels × CB output groups.

// Scalars: the lanes of one output group may read input channels from different vec4s.
alias ConvInput = f32;
alias ConvWeight = vec4<f32>;
//@include conv-params
//@include conv-epilogue

@compute @workgroup_size({{WX}}, {{WY}}, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let ox0 = gid.x * {{PX}}u;
  let oy = gid.y;
  if (ox0 >= u.out_w || oy >= u.out_h) { return; }
  let n = gid.z / u.co_blocks;
  let co0 = (gid.z % u.co_blocks) * {{CB}}u;

  //@for b in 0..CB
  // First input channel of each lane's group (pad lanes reuse the last channel's group).
  let first${b} = (min(vec4<u32>((co0 + ${b}u) * 4u) + vec4<u32>(0u, 1u, 2u, 3u), vec4<u32>(u.out_c - 1u)) / u.group_out) * u.group_in;
  //@end
  //@for i in 0..PX
  //@for b in 0..CB
  var acc${i}_${b} = vec4<f32>(0.0);
  //@end
  //@end

  let px_step = u.stride_x * u.in_c4 * 4u;
  for (var ky = 0u; ky < u.kh; ky++) {
    let row = ((n * u.in_h + oy * u.stride_y + ky * u.dil_y) * u.in_w + ox0 * u.stride_x) * u.in_c4 * 4u;
    for (var kx = 0u; kx < u.kw; kx++) {
      let base = row + kx * u.dil_x * u.in_c4 * 4u;
      let wtap = (ky * u.kw + kx) * u.group_in * u.w_c4 + co0;
      for (var ci = 0u; ci < u.group_in; ci++) {
        let wi = wtap + ci * u.w_c4;
        //@for b in 0..CB
        let w${b} = w[wi + ${b}u];
        //@end
        //@for i in 0..PX
        {
          let p = base + ${i}u * px_step + ci;
          //@for b in 0..CB
          let xv${b} = vec4<f32>(x[p + first${b}.x], x[p + first${b}.y], x[p + first${b}.z], x[p + first${b}.w]);
          acc${i}_${b} = fma(xv${b}, w${b}, acc${i}_${b});
          //@end
        }
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
