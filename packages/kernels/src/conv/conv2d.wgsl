// Direct 2-D convolution (groups = 1). Activations NHWC in vec4 channel groups; weights packed as one
// mat4x4 per (tap, input group, output group), column j = input channel 4·ci+j, so `w * x` adds the
// contribution of four input channels to four output channels.
//
// The input is pre-padded (see conv2d.ts) so every tap of every pixel this invocation computes is in
// bounds: the inner loop has no bounds checks. Each invocation computes PX consecutive output pixels
// of PY rows × CB output groups, with the accumulators unrolled into registers; the loads of one
// weight block are shared by PX·PY pixels and one input load by CB groups.
//
// The bindings are params.wgsl's and the epilogue (bias, activation, scale, residual) is epilogue.wgsl.

alias ConvInput = vec4<f32>;
alias ConvWeight = mat4x4<f32>;
//@include conv-params
//@include conv-epilogue

@compute @workgroup_size({{WX}}, {{WY}}, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let ox0 = gid.x * {{PX}}u;
  let oy0 = gid.y * {{PY}}u;
  if (ox0 >= u.out_w || oy0 >= u.out_h) { return; }
  let n = gid.z / u.co_blocks;
  let co0 = (gid.z % u.co_blocks) * {{CB}}u;

  //@for r in 0..PY
  //@for i in 0..PX
  //@for b in 0..CB
  var acc${r}_${i}_${b} = vec4<f32>(0.0);
  //@end
  //@end
  //@end

  let row_step = u.stride_y * u.in_w * u.in_c4;
  for (var ky = 0u; ky < u.kh; ky++) {
    let row = ((n * u.in_h + oy0 * u.stride_y + ky * u.dil_y) * u.in_w + ox0 * {{SX}}u) * u.in_c4;
    let wrow = ky * {{KW}}u * u.in_c4 * u.w_c4 + co0;
    for (var ci = 0u; ci < u.in_c4; ci++) {
      // Weights of the whole kernel row: KW taps × CB output groups.
      //@for k in 0..KW
      //@for b in 0..CB
      let w${k}_${b} = w[wrow + (${k}u * u.in_c4 + ci) * u.w_c4 + ${b}u];
      //@end
      //@end
      //@for r in 0..PY
      {
        // The input pixels under all taps of this row of outputs, loaded once: with the stride and
        // dilation compile-time constants, tap k of output i is xs[i·SX + k·DX], a register.
        var xs: array<vec4<f32>, {{SPAN}}>;
        let base = row + ${r}u * row_step + ci;
        //@for j in 0..SPAN
        xs[${j}] = x[base + ${j}u * u.in_c4];
        //@end
        //@for k in 0..KW
        //@for i in 0..PX
        //@for b in 0..CB
        acc${r}_${i}_${b} += w${k}_${b} * xs[${i} * {{SX}} + ${k} * {{DX}}];
        //@end
        //@end
        //@end
      }
      //@end
    }
  }

  //@for r in 0..PY
  if (oy0 + ${r}u < u.out_h) {
    //@for b in 0..CB
    if (co0 + ${b}u < u.out_c4) {
      //@for i in 0..PX
      if (ox0 + ${i}u < u.out_w) {
        store_output(((n * u.out_h + oy0 + ${r}u) * u.out_w + ox0 + ${i}u) * u.out_c4 + co0 + ${b}u, co0 + ${b}u, acc${r}_${i}_${b});
      }
      //@end
    }
    //@end
  }
  //@end
}
