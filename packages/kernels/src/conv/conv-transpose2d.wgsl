// Transposed 2-D convolution as a gather, without zero insertion (sub-pixel decomposition). Output
// pixel (oy, ox) receives input pixel (iy, ix) through tap (ky, kx) when oy + pad_t = iy·sy + ky. With
// z = oy + pad_t, phase ry = z mod sy and qy = z / sy, the taps are ky = ry + sy·t (t = 0, 1, ...)
// reading input row iy = qy - t. So the outputs of one phase (ry, rx) form an ordinary stride-1
// convolution of the input with that phase's subset of taps: only real products are computed.
//
// Each invocation computes PX output pixels of one row that share the column phase rx (output
// columns sx apart, reading consecutive input pixels) × CB output groups, exactly like conv2d.wgsl.
// The input is pre-padded with tap_y0 = ceil(kh / sy) - 1 zero rows on top and tap_x0 columns on the
// left (and zeros past the bottom/right), so iy = qy - t and ix = qx - s never leave the buffer and
// the loops have no bounds checks. Weights are mat4x4 blocks [ky][kx][cin4][w_c4] as in conv2d.wgsl.

alias ConvInput = vec4<f32>;
alias ConvWeight = mat4x4<f32>;
//@include conv-params
//@include conv-epilogue

@compute @workgroup_size({{WX}}, {{WY}}, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let oy = gid.y;
  if (oy >= u.out_h) { return; }
  let n = gid.z / (u.stride_x * u.co_blocks);
  let rx = (gid.z / u.co_blocks) % u.stride_x;
  let co0 = (gid.z % u.co_blocks) * {{CB}}u;
  // First column index q of this phase with ox = q·sx + rx - pad_l >= 0.
  let qx0 = (u.pad_l + u.stride_x - 1u - rx) / u.stride_x + gid.x * {{PX}}u;
  let ox0 = qx0 * u.stride_x + rx - u.pad_l;
  if (ox0 >= u.out_w) { return; }
  let zy = oy + u.pad_t;
  let ry = zy % u.stride_y;
  let qy = zy / u.stride_y;

  //@for i in 0..PX
  //@for b in 0..CB
  var acc${i}_${b} = vec4<f32>(0.0);
  //@end
  //@end

  for (var t = 0u; ry + t * u.stride_y < u.kh; t++) {
    let ky = ry + t * u.stride_y;
    let row = ((n * u.in_h + qy + u.tap_y0 - t) * u.in_w + qx0 + u.tap_x0) * u.in_c4;
    for (var s = 0u; rx + s * u.stride_x < u.kw; s++) {
      let kx = rx + s * u.stride_x;
      let base = row - s * u.in_c4;
      let wtap = (ky * u.kw + kx) * u.in_c4 * u.w_c4 + co0;
      for (var ci = 0u; ci < u.in_c4; ci++) {
        let wi = wtap + ci * u.w_c4;
        //@for b in 0..CB
        let w${b} = w[wi + ${b}u];
        //@end
        //@for i in 0..PX
        let x${i} = x[base + ci + ${i}u * u.in_c4];
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
    if (ox0 + ${i}u * u.stride_x < u.out_w) {
      store_output(((n * u.out_h + oy) * u.out_w + ox0 + ${i}u * u.stride_x) * u.out_c4 + co0 + ${b}u, co0 + ${b}u, acc${i}_${b});
    }
    //@end
  }
  //@end
}
