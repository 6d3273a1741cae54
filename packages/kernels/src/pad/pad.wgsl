// Copies an NHWC (vec4 channel groups) tensor into a larger one with a border. Rows/columns inside
// the border take a constant (zero mode: `value`, 0 unless given; lanes past the channel count stay 0), the mirrored pixel (reflect: the edge pixel itself is not repeated, like
// numpy 'reflect' and PyTorch ReflectionPad2d) or the nearest edge pixel (replicate). Outside
// fill_h × fill_w the output is zero: callers over-allocate so later kernels can skip bounds checks.

//@include flat-index
//@include nhwc

struct Params {
  in_h: u32,
  in_w: u32,
  c4: u32,
  c: u32,
  out_h: u32,
  out_w: u32,
  top: u32,
  left: u32,
  fill_h: u32,
  fill_w: u32,
  mode: u32,        // 0 zero, 1 reflect, 2 replicate
  count: u32,       // total output vec4s
  value: f32,       // the border in zero mode
}

@group(0) @binding(0) var<storage, read> src: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> dst: array<vec4<f32>>;
@group(0) @binding(2) var<uniform> u: Params;

fn source_coord(o: i32, n: i32) -> i32 {
  if (u.mode == 1u) {
    var s = select(o, -o, o < 0);
    return select(s, 2 * n - 2 - s, s >= n);
  }
  return clamp(o, 0, n - 1);
}

@compute @workgroup_size(FLAT_WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) grid: vec3<u32>) {
  let i = flat_index(gid, grid);
  if (i >= u.count) { return; }
  let o = nhwc_decode(i, u.out_h, u.out_w, u.c4);
  if (o.y >= u.fill_h || o.x >= u.fill_w) {
    dst[i] = vec4<f32>(0.0);
    return;
  }
  let sy = i32(o.y) - i32(u.top);
  let sx = i32(o.x) - i32(u.left);
  let h = i32(u.in_h);
  let w = i32(u.in_w);
  let inside = sy >= 0 && sy < h && sx >= 0 && sx < w;
  if (!inside && u.mode == 0u) {
    dst[i] = select(vec4<f32>(0.0), vec4<f32>(u.value), channel_lanes(o.g, u.c));
    return;
  }
  let ry = u32(source_coord(sy, h));
  let rx = u32(source_coord(sx, w));
  dst[i] = src[nhwc_index(o.n, ry, rx, o.g, u.in_h, u.in_w, u.c4)];
}
