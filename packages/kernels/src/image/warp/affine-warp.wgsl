// Affine warp with bilinear sampling on NHWC (vec4 channel groups). Output pixel (u, v) has its centre
// at (u + 0.5, v + 0.5); the matrix maps that centre to input coordinates where input pixel centres
// are at +0.5, so the sample position in pixel-index space is (ix − 0.5, iy − 0.5).
// Taps outside the input read zero (border 0) or the nearest edge pixel (border 1, replicate).

//@include flat-index
//@include nhwc

struct Params {
  in_h: u32,
  in_w: u32,
  out_h: u32,
  out_w: u32,
  c4: u32,
  count: u32,
  border: u32,
  row0: vec4<f32>,  // m0, m1, m2 − 0.5 + 0.5·(m0 + m1), unused
  row1: vec4<f32>,  // m3, m4, m5 − 0.5 + 0.5·(m3 + m4), unused
}

@group(0) @binding(0) var<storage, read> src: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> dst: array<vec4<f32>>;
@group(0) @binding(2) var<uniform> u: Params;

fn tap(n: u32, y: i32, x: i32, c: u32) -> vec4<f32> {
  let h = i32(u.in_h);
  let w = i32(u.in_w);
  if (u.border == 0u && (y < 0 || y >= h || x < 0 || x >= w)) {
    return vec4<f32>(0.0);
  }
  let yy = u32(clamp(y, 0, h - 1));
  let xx = u32(clamp(x, 0, w - 1));
  return src[nhwc_index(n, yy, xx, c, u.in_h, u.in_w, u.c4)];
}

@compute @workgroup_size(FLAT_WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) grid: vec3<u32>) {
  let i = flat_index(gid, grid);
  if (i >= u.count) { return; }
  let o = nhwc_decode(i, u.out_h, u.out_w, u.c4);
  let p = vec3<f32>(f32(o.x), f32(o.y), 1.0);
  let sx = dot(u.row0.xyz, p);
  let sy = dot(u.row1.xyz, p);
  let fx = floor(sx);
  let fy = floor(sy);
  let tx = sx - fx;
  let ty = sy - fy;
  // Far outside the input every tap is a border tap; clamp before the i32 conversion so huge
  // coordinates cannot overflow.
  let x0 = i32(clamp(fx, -2.0, f32(u.in_w) + 1.0));
  let y0 = i32(clamp(fy, -2.0, f32(u.in_h) + 1.0));
  let top = mix(tap(o.n, y0, x0, o.g), tap(o.n, y0, x0 + 1, o.g), tx);
  let bottom = mix(tap(o.n, y0 + 1, x0, o.g), tap(o.n, y0 + 1, x0 + 1, o.g), tx);
  dst[i] = mix(top, bottom, ty);
}
