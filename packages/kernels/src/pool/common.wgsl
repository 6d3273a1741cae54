// pool-common: what pool.wgsl and backward.wgsl share: Params (filled by poolParams, pool.ts), the
// input x and the uniform, and where an output window lies in the input. Included after nhwc.

const MAX: bool = {{MAX}};

struct Params {
  count: u32,        // vec4 groups the kernel writes (output, or input for the gradient)
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
@group(0) @binding(1) var<uniform> u: Params;

// The input rows [ys, ye) and columns [xs, xe) of output (oy, ox)'s window that lie in the image
// (empty when ye ≤ ys or xe ≤ xs), and the number of its taps inside the padded image.
struct PoolWindow {
  ys: i32,
  ye: i32,
  xs: i32,
  xe: i32,
  padded_taps: i32,
}

fn pool_window(oy: u32, ox: u32) -> PoolWindow {
  let y0 = i32(oy * u.stride_y) - i32(u.pad_top);
  let x0 = i32(ox * u.stride_x) - i32(u.pad_left);
  let y1 = y0 + i32(u.kh);
  let x1 = x0 + i32(u.kw);
  let padded_taps = (min(y1, i32(u.in_h + u.pad_bottom)) - max(y0, -i32(u.pad_top))) *
                    (min(x1, i32(u.in_w + u.pad_right)) - max(x0, -i32(u.pad_left)));
  return PoolWindow(max(y0, 0), min(y1, i32(u.in_h)), max(x0, 0), min(x1, i32(u.in_w)), padded_taps);
}

// Average pooling's divisor for a window with `taps` taps inside the image (Pool2dOptions.countIncludePad).
fn pool_divisor(w: PoolWindow, taps: i32) -> f32 {
  return f32(select(taps, w.padded_taps, u.include_pad != 0u));
}
