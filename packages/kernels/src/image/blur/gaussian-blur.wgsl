// One pass of a separable Gaussian blur along one axis (step (dy, dx) = (0, 1) or (1, 0)) on NHWC
// (vec4 channel groups). Weights exp(−k²/2σ²) for |k| ≤ radius are computed here and normalised by
// their sum, so no weight buffer is uploaded. Border: 0 replicate (clamp), 1 reflect (mirror without
// repeating the edge pixel, periodic for radii beyond the image).

//@include flat-index
//@include nhwc

struct Params {
  h: u32,
  w: u32,
  c4: u32,
  count: u32,
  dy: u32,
  dx: u32,
  radius: i32,
  border: u32,
  inv_two_sigma2: f32,
}

@group(0) @binding(0) var<storage, read> src: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> dst: array<vec4<f32>>;
@group(0) @binding(2) var<uniform> u: Params;

fn border_index(i: i32, n: i32) -> i32 {
  if (u.border == 0u || n == 1) { return clamp(i, 0, n - 1); }
  let period = 2 * (n - 1);
  var m = i % period;
  if (m < 0) { m += period; }
  return select(period - m, m, m < n);
}

@compute @workgroup_size(FLAT_WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) grid: vec3<u32>) {
  let i = flat_index(gid, grid);
  if (i >= u.count) { return; }
  let o = nhwc_decode(i, u.h, u.w, u.c4);
  // Position along the blurred axis and its length; the other coordinate stays fixed.
  let along = select(i32(o.x), i32(o.y), u.dy == 1u);
  let len = select(i32(u.w), i32(u.h), u.dy == 1u);
  var acc = vec4<f32>(0.0);
  var wsum = 0.0;
  for (var k = -u.radius; k <= u.radius; k++) {
    let wk = exp(-f32(k * k) * u.inv_two_sigma2);
    let j = u32(border_index(along + k, len));
    let sy = select(o.y, j, u.dy == 1u);
    let sx = select(j, o.x, u.dy == 1u);
    acc += wk * src[nhwc_index(o.n, sy, sx, o.g, u.h, u.w, u.c4)];
    wsum += wk;
  }
  dst[i] = acc / wsum;
}
