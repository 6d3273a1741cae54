// Input gradient of max / average pooling, as a gather: each invocation owns one input pixel's vec4
// group and visits the output windows that contain it (oy from ceil((iy + pad − kh + 1) / stride)
// to floor((iy + pad) / stride)). Average: dy / the window's divisor (the forward's rule). Max: the
// window is scanned again in the forward's order and dy goes to the first tap holding the maximum,
// so each window's gradient lands on exactly one input (ties to the first, as TF's MaxPoolGrad).

//@include flat-index
//@include nhwc
//@include pool-common

@group(0) @binding(2) var<storage, read> dy: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read_write> dx: array<vec4<f32>>;

@compute @workgroup_size(FLAT_WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) grid: vec3<u32>) {
  let i = flat_index(gid, grid);
  if (i >= u.count) { return; }
  let p = nhwc_decode(i, u.in_h, u.in_w, u.c4);
  let py = i32(p.y) + i32(u.pad_top);
  let px = i32(p.x) + i32(u.pad_left);
  let sy = i32(u.stride_y);
  let sx = i32(u.stride_x);
  // Smallest window start ≥ py − kh + 1, i.e. ceil((py − kh + 1) / sy) for a possibly negative numerator.
  let oy0 = max(0, (py - i32(u.kh) + sy) / sy);
  let ox0 = max(0, (px - i32(u.kw) + sx) / sx);
  let oy1 = min(i32(u.out_h) - 1, py / sy);
  let ox1 = min(i32(u.out_w) - 1, px / sx);
  var acc = vec4<f32>(0.0);
  for (var oy = oy0; oy <= oy1; oy++) {
    for (var ox = ox0; ox <= ox1; ox++) {
      let d = dy[nhwc_index(p.n, u32(oy), u32(ox), p.g, u.out_h, u.out_w, u.c4)];
      let win = pool_window(u32(oy), u32(ox));
      if (MAX) {
        var best = vec4<f32>(-3.0e38);
        var mine = vec4<bool>(false);
        for (var iy = win.ys; iy < win.ye; iy++) {
          for (var ix = win.xs; ix < win.xe; ix++) {
            let v = x[nhwc_index(p.n, u32(iy), u32(ix), p.g, u.in_h, u.in_w, u.c4)];
            let greater = v > best;
            best = select(best, v, greater);
            mine = select(mine, vec4<bool>(iy == i32(p.y) && ix == i32(p.x)), greater);
          }
        }
        acc += select(vec4<f32>(0.0), d, mine);
      } else {
        acc += d / pool_divisor(win, (win.ye - win.ys) * (win.xe - win.xs));
      }
    }
  }
  dx[i] = select(vec4<f32>(0.0), acc, channel_lanes(p.g, u.c));
}
