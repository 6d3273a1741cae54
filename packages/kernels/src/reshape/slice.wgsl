// y = x[b0 : b0+n, b1 : b1+h, b2 : b2+w, b3 : b3+c]. When b3 is not a multiple of 4 the output lanes
// gather across two input groups. Lanes past the output's channels are zero.

//@include flat-index
//@include nhwc

struct Params {
  count: u32,      // output vec4 groups
  out_h: u32,
  out_w: u32,
  out_c: u32,
  out_c4: u32,
  in_h: u32,
  in_w: u32,
  in_c4: u32,
  begin: vec4<u32>, // n, h, w, c
}

@group(0) @binding(0) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> y: array<vec4<f32>>;
@group(0) @binding(2) var<uniform> u: Params;

@compute @workgroup_size(FLAT_WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) grid: vec3<u32>) {
  let i = flat_index(gid, grid);
  if (i >= u.count) { return; }
  let o = nhwc_decode(i, u.out_h, u.out_w, u.out_c4);
  let src = nhwc_index(o.n + u.begin.x, o.y + u.begin.y, o.x + u.begin.z, 0u, u.in_h, u.in_w, u.in_c4);
  var v = vec4<f32>(0.0);
  for (var j = 0u; j < 4u; j++) {
    let ch = 4u * o.g + j;
    if (ch < u.out_c) {
      let s = ch + u.begin.w;
      v[j] = x[src + s / 4u][s % 4u];
    }
  }
  y[i] = v;
}
