// Poisson blend, one half-sweep of red-black Gauss-Seidel on the correction d (Laplace's equation):
// each unknown texel (label 2) of colour (x + y) mod 2 == parity takes the mean of its 4-neighbours
// that are inside the domain (labels 1 and 2; outside texels are a zero-flux boundary). The texels
// read all have the other colour, so the update in place is race-free and order-independent.

//@include flat-index
//@include nhwc

struct Params {
  h: u32,
  w: u32,
  c4: u32,
  count: u32,
  parity: u32,
}

@group(0) @binding(0) var<storage, read> label: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> d: array<vec4<f32>>;
@group(0) @binding(2) var<uniform> u: Params;

@compute @workgroup_size(FLAT_WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) grid: vec3<u32>) {
  let i = flat_index(gid, grid);
  if (i >= u.count) { return; }
  let o = nhwc_decode(i, u.h, u.w, u.c4);
  if (((o.x + o.y) & 1u) != u.parity) { return; }
  if (label[nhwc_index(o.n, o.y, o.x, 0u, u.h, u.w, 1u)].x != 2.0) { return; }
  var sum = vec4<f32>(0.0);
  var count = 0.0;
  let offsets = array<vec2<i32>, 4>(vec2<i32>(0, -1), vec2<i32>(-1, 0), vec2<i32>(1, 0), vec2<i32>(0, 1));
  for (var k = 0u; k < 4u; k++) {
    let x = i32(o.x) + offsets[k].x;
    let y = i32(o.y) + offsets[k].y;
    if (x < 0 || y < 0 || x >= i32(u.w) || y >= i32(u.h)) { continue; }
    let l = label[nhwc_index(o.n, u32(y), u32(x), 0u, u.h, u.w, 1u)].x;
    if (l == 0.0) { continue; }
    sum += d[nhwc_index(o.n, u32(y), u32(x), o.g, u.h, u.w, u.c4)];
    count += 1.0;
  }
  if (count > 0.0) { d[i] = sum / count; }
}
