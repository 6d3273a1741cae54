// Copies an NHWC (vec4 channel groups) tensor into a larger one with a border. Rows/columns inside
// the border take zero, the mirrored pixel (reflect: the edge pixel itself is not repeated, like
// numpy 'reflect' and PyTorch ReflectionPad2d) or the nearest edge pixel (replicate). Outside
// fill_h × fill_w the output is zero: callers over-allocate so later kernels can skip bounds checks.

struct Params {
  in_h: u32,
  in_w: u32,
  c4: u32,
  out_h: u32,
  out_w: u32,
  top: u32,
  left: u32,
  fill_h: u32,
  fill_w: u32,
  mode: u32,        // 0 zero, 1 reflect, 2 replicate
  count: u32,       // total output vec4s
  row_stride: u32,  // flat-index stride of gid.y
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

@compute @workgroup_size(64, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x + gid.y * u.row_stride;
  if (i >= u.count) { return; }
  let c = i % u.c4;
  let x = (i / u.c4) % u.out_w;
  let y = (i / (u.c4 * u.out_w)) % u.out_h;
  let n = i / (u.c4 * u.out_w * u.out_h);
  if (y >= u.fill_h || x >= u.fill_w) {
    dst[i] = vec4<f32>(0.0);
    return;
  }
  let sy = i32(y) - i32(u.top);
  let sx = i32(x) - i32(u.left);
  let h = i32(u.in_h);
  let w = i32(u.in_w);
  let inside = sy >= 0 && sy < h && sx >= 0 && sx < w;
  if (!inside && u.mode == 0u) {
    dst[i] = vec4<f32>(0.0);
    return;
  }
  let ry = u32(source_coord(sy, h));
  let rx = u32(source_coord(sx, w));
  dst[i] = src[((n * u.in_h + ry) * u.in_w + rx) * u.c4 + c];
}
