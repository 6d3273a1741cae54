// Max or average pooling over kh×kw windows, NHWC vec4 groups. Padding never contributes a value: max
// takes the maximum of the taps inside the image; average divides the sum of those taps either by their
// number (count_include_pad=False, TF 'same') or by the window's size clipped to the padded image
// (PyTorch's default count_include_pad=True). Lanes past the channel count are zero.

//@include flat-index
//@include nhwc
//@include pool-common

@group(0) @binding(2) var<storage, read_write> y: array<vec4<f32>>;

@compute @workgroup_size(FLAT_WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) grid: vec3<u32>) {
  let i = flat_index(gid, grid);
  if (i >= u.count) { return; }
  let o = nhwc_decode(i, u.out_h, u.out_w, u.c4);
  let g = o.g;
  let win = pool_window(o.y, o.x);
  var acc = select(vec4<f32>(0.0), vec4<f32>(-3.0e38), MAX);
  for (var iy = win.ys; iy < win.ye; iy++) {
    for (var ix = win.xs; ix < win.xe; ix++) {
      let v = x[nhwc_index(o.n, u32(iy), u32(ix), g, u.in_h, u.in_w, u.c4)];
      if (MAX) { acc = max(acc, v); } else { acc += v; }
    }
  }
  let taps = max(win.ye - win.ys, 0) * max(win.xe - win.xs, 0);
  var v: vec4<f32>;
  if (taps <= 0) {
    v = vec4<f32>(0.0);
  } else if (MAX) {
    v = acc;
  } else {
    v = acc / pool_divisor(win, taps);
  }
  let valid = channel_lanes(g, u.c);
  y[i] = select(vec4<f32>(0.0), v, valid);
}
