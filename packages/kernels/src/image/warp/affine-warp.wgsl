// Affine warp with bilinear sampling on NHWC (vec4 channel groups). Output pixel (u, v) has its centre
// at (u + 0.5, v + 0.5); the matrix maps that centre to input coordinates where input pixel centres
// are at +0.5, so the sample position in pixel-index space is (ix − 0.5, iy − 0.5).
// Taps outside the input read zero (border 0) or the nearest edge pixel (border 1, replicate).

struct Params {
  in_h: u32,
  in_w: u32,
  out_h: u32,
  out_w: u32,
  c4: u32,
  count: u32,
  row_stride: u32,
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
  return src[((n * u.in_h + yy) * u.in_w + xx) * u.c4 + c];
}

@compute @workgroup_size(64, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x + gid.y * u.row_stride;
  if (i >= u.count) { return; }
  let c = i % u.c4;
  let ox = (i / u.c4) % u.out_w;
  let oy = (i / (u.c4 * u.out_w)) % u.out_h;
  let n = i / (u.c4 * u.out_w * u.out_h);
  let p = vec3<f32>(f32(ox), f32(oy), 1.0);
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
  let top = mix(tap(n, y0, x0, c), tap(n, y0, x0 + 1, c), tx);
  let bottom = mix(tap(n, y0 + 1, x0, c), tap(n, y0 + 1, x0 + 1, c), tx);
  dst[i] = mix(top, bottom, ty);
}
