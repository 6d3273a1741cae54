// Max or average pooling over kh×kw windows, NHWC vec4 groups. Padding never contributes a value: max
// takes the maximum of the taps inside the image; average divides the sum of those taps either by their
// number (count_include_pad=False, TF 'same') or by the window's size clipped to the padded image
// (PyTorch's default count_include_pad=True). Lanes past the channel count are zero.

//@include flat-index
//@include nhwc

const MAX: bool = {{MAX}};

struct Params {
  count: u32,        // output vec4 groups
  c4: u32,
  c: u32,
  in_h: u32,
  in_w: u32,
  out_h: u32,
  out_w: u32,
  kh: u32,
  kw: u32,
  stride_y: u32,
  stride_x: u32,
  pad_top: u32,
  pad_left: u32,
  pad_bottom: u32,
  pad_right: u32,
  include_pad: u32,
}

@group(0) @binding(0) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> y: array<vec4<f32>>;
@group(0) @binding(2) var<uniform> u: Params;

@compute @workgroup_size(FLAT_WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) grid: vec3<u32>) {
  let i = flat_index(gid, grid);
  if (i >= u.count) { return; }
  let o = nhwc_decode(i, u.out_h, u.out_w, u.c4);
  let g = o.g;
  // Window in input coordinates, then clipped to the padded image and to the image itself.
  let y0 = i32(o.y * u.stride_y) - i32(u.pad_top);
  let x0 = i32(o.x * u.stride_x) - i32(u.pad_left);
  let y1 = y0 + i32(u.kh);
  let x1 = x0 + i32(u.kw);
  let padded_taps = (min(y1, i32(u.in_h + u.pad_bottom)) - max(y0, -i32(u.pad_top))) *
                    (min(x1, i32(u.in_w + u.pad_right)) - max(x0, -i32(u.pad_left)));
  let ys = u32(max(y0, 0));
  let ye = u32(min(y1, i32(u.in_h)));
  let xs = u32(max(x0, 0));
  let xe = u32(min(x1, i32(u.in_w)));
  var acc = select(vec4<f32>(0.0), vec4<f32>(-3.0e38), MAX);
  for (var iy = ys; iy < ye; iy++) {
    for (var ix = xs; ix < xe; ix++) {
      let v = x[nhwc_index(o.n, iy, ix, g, u.in_h, u.in_w, u.c4)];
      if (MAX) { acc = max(acc, v); } else { acc += v; }
    }
  }
  let taps = i32(ye - min(ys, ye)) * i32(xe - min(xs, xe));
  var v: vec4<f32>;
  if (taps <= 0) {
    v = vec4<f32>(0.0);
  } else if (MAX) {
    v = acc;
  } else {
    v = acc / f32(select(taps, padded_taps, u.include_pad != 0u));
  }
  let valid = channel_lanes(g, u.c);
  y[i] = select(vec4<f32>(0.0), v, valid);
}
