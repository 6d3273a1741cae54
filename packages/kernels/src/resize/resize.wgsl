// Resizes an NHWC image (vec4 channel groups) to out_h × out_w. One invocation writes one output
// vec4. The source coordinate of output index d along an axis is the exact rational (d·a + b) / den,
// with a, b, den integers chosen by the TS wrapper for the coordinate convention, so f32 rounding
// happens once (in the division) and nearest-neighbour indices are exact integer divisions.
// MODE (specialisation): 0 nearest, 1 bilinear, 2 bicubic (Keys kernel with parameter cubic_a).

//@include flat-index
//@include nhwc

const MODE: u32 = {{MODE}}u;

struct Params {
  in_h: u32,
  in_w: u32,
  out_h: u32,
  out_w: u32,
  c4: u32,
  count: u32,       // total output vec4s
  ay: i32,
  by: i32,
  dy: i32,
  ax: i32,
  bx: i32,
  dx: i32,
  cubic_a: f32,
  exclude_outside: u32,
}

@group(0) @binding(0) var<storage, read> src: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> dst: array<vec4<f32>>;
@group(0) @binding(2) var<uniform> u: Params;

fn load(n: u32, y: i32, x: i32, c: u32) -> vec4<f32> {
  let yy = u32(clamp(y, 0, i32(u.in_h) - 1));
  let xx = u32(clamp(x, 0, i32(u.in_w) - 1));
  return src[nhwc_index(n, yy, xx, c, u.in_h, u.in_w, u.c4)];
}

// Nearest: floor((d·a + b) / den), clamped to the last pixel. A negative numerator truncates towards
// zero instead of flooring, which load's clamp to the first pixel makes the same.
fn nearest_index(d: u32, a: i32, b: i32, den: i32, size: u32) -> i32 {
  return min((i32(d) * a + b) / den, i32(size) - 1);
}

fn source_coord(d: u32, a: i32, b: i32, den: i32) -> f32 {
  return f32(i32(d) * a + b) / f32(den);
}

// Keys cubic convolution weights for the taps at offsets -1, 0, 1, 2 from f = floor(s), t = s - f.
// With exclude_outside, taps outside [0, size) weigh 0 and the others are renormalised (ONNX).
fn cubic_weights(t: f32, f: i32, size: u32) -> vec4<f32> {
  let a = u.cubic_a;
  let x = vec4<f32>(t + 1.0, t, 1.0 - t, 2.0 - t);
  let near = ((a + 2.0) * x - (a + 3.0)) * x * x + 1.0;
  let far = ((a * x - 5.0 * a) * x + 8.0 * a) * x - 4.0 * a;
  var w = select(far, near, x <= vec4<f32>(1.0));
  if (u.exclude_outside != 0u) {
    let taps = vec4<i32>(f - 1, f, f + 1, f + 2);
    w = select(vec4<f32>(0.0), w, (taps >= vec4<i32>(0)) & (taps < vec4<i32>(i32(size))));
    w /= dot(w, vec4<f32>(1.0));
  }
  return w;
}

@compute @workgroup_size(FLAT_WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) grid: vec3<u32>) {
  let i = flat_index(gid, grid);
  if (i >= u.count) { return; }
  let o = nhwc_decode(i, u.out_h, u.out_w, u.c4);
  let n = o.n;
  let c = o.g;
  let ox = o.x;
  let oy = o.y;

  if (MODE == 0u) {
    let y = nearest_index(oy, u.ay, u.by, u.dy, u.in_h);
    let x = nearest_index(ox, u.ax, u.bx, u.dx, u.in_w);
    dst[i] = load(n, y, x, c);
  } else if (MODE == 1u) {
    // Negative source coordinates (half-pixel, first row/column) clamp to 0, as TF and PyTorch do.
    let sy = max(source_coord(oy, u.ay, u.by, u.dy), 0.0);
    let sx = max(source_coord(ox, u.ax, u.bx, u.dx), 0.0);
    let fy = floor(sy);
    let fx = floor(sx);
    let ty = sy - fy;
    let tx = sx - fx;
    let y0 = i32(fy);
    let x0 = i32(fx);
    let top = mix(load(n, y0, x0, c), load(n, y0, x0 + 1, c), tx);
    let bottom = mix(load(n, y0 + 1, x0, c), load(n, y0 + 1, x0 + 1, c), tx);
    dst[i] = mix(top, bottom, ty);
  } else {
    // PyTorch's upsample_bicubic2d: the coordinate is not clamped; taps are clamped to the border.
    let sy = source_coord(oy, u.ay, u.by, u.dy);
    let sx = source_coord(ox, u.ax, u.bx, u.dx);
    let fy = floor(sy);
    let fx = floor(sx);
    let wy = cubic_weights(sy - fy, i32(fy), u.in_h);
    let wx = cubic_weights(sx - fx, i32(fx), u.in_w);
    let y0 = i32(fy) - 1;
    let x0 = i32(fx) - 1;
    var acc = vec4<f32>(0.0);
    for (var k = 0; k < 4; k++) {
      let row = wx[0] * load(n, y0 + k, x0, c) + wx[1] * load(n, y0 + k, x0 + 1, c) +
        wx[2] * load(n, y0 + k, x0 + 2, c) + wx[3] * load(n, y0 + k, x0 + 3, c);
      acc += wy[k] * row;
    }
    dst[i] = acc;
  }
}
