// y = x[b0 : b0+n, b1 : b1+h, b2 : b2+w, b3 : b3+c]. When b3 is not a multiple of 4 the output lanes
// gather across two input groups. Lanes past the output's channels are zero.

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
  row_stride: u32,  // flat-index stride of gid.y (grid1d)
}

@group(0) @binding(0) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> y: array<vec4<f32>>;
@group(0) @binding(2) var<uniform> u: Params;

@compute @workgroup_size(64, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x + gid.y * u.row_stride;
  if (i >= u.count) { return; }
  let g = i % u.out_c4;
  let p = i / u.out_c4;
  let ox = p % u.out_w;
  let oy = (p / u.out_w) % u.out_h;
  let on = p / (u.out_w * u.out_h);
  let src = (((on + u.begin.x) * u.in_h + oy + u.begin.y) * u.in_w + ox + u.begin.z) * u.in_c4;
  var v = vec4<f32>(0.0);
  for (var j = 0u; j < 4u; j++) {
    let ch = 4u * g + j;
    if (ch < u.out_c) {
      let s = ch + u.begin.w;
      v[j] = x[src + s / 4u][s % 4u];
    }
  }
  y[i] = v;
}
