// Input gradient of a zero-padded convolution, as a gather: each invocation owns one input pixel and
// one vec4 group of input channels and sums, over the taps that read that pixel (iy = oy·stride −
// pad + ky·dilation, so oy = (iy + pad − ky·dilation) / stride when that divides), the output
// gradient times the weight. No atomics, no zero-inserted buffer; taps whose oy is not a whole
// output row cost one modulo.
//
// MODE 0, dense (groups 1): w is [tap][ci4][co] vec4s over four input channels, so one dy vec4 (four
//   output channels) meets four weight vec4s.
// MODE 1, depthwise with multiplier 1: w is [tap][c4], output channel = input channel.
// MODE 2, any other grouping: w is HWIO scalars (four to a vec4), one lane at a time.

//@include flat-index
//@include nhwc

const MODE: u32 = {{MODE}}u;

struct Params {
  count: u32,          // dx vec4 groups
  in_h: u32,
  in_w: u32,
  in_c: u32,
  in_c4: u32,
  out_h: u32,
  out_w: u32,
  out_c: u32,
  out_c4: u32,
  kh: u32,
  kw: u32,
  stride_y: i32,
  stride_x: i32,
  dil_y: i32,
  dil_x: i32,
  pad_t: i32,
  pad_l: i32,
  cin_per_group: u32,
  cout_per_group: u32,
}

@group(0) @binding(0) var<storage, read> dy: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> w: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> dx: array<vec4<f32>>;
@group(0) @binding(3) var<uniform> u: Params;

fn w_scalar(k: u32) -> f32 {
  return w[k / 4u][k % 4u];
}

fn dy_scalar(base: u32, co: u32) -> f32 {
  return dy[base + co / 4u][co % 4u];
}

@compute @workgroup_size(FLAT_WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) grid: vec3<u32>) {
  let i = flat_index(gid, grid);
  if (i >= u.count) { return; }
  let p = nhwc_decode(i, u.in_h, u.in_w, u.in_c4);
  var acc = vec4<f32>(0.0);
  for (var ky = 0u; ky < u.kh; ky++) {
    let ty = i32(p.y) + u.pad_t - i32(ky) * u.dil_y;
    if (ty < 0 || ty % u.stride_y != 0) { continue; }
    let oy = u32(ty / u.stride_y);
    if (oy >= u.out_h) { continue; }
    for (var kx = 0u; kx < u.kw; kx++) {
      let tx = i32(p.x) + u.pad_l - i32(kx) * u.dil_x;
      if (tx < 0 || tx % u.stride_x != 0) { continue; }
      let ox = u32(tx / u.stride_x);
      if (ox >= u.out_w) { continue; }
      let tap = ky * u.kw + kx;
      let base = nhwc_index(p.n, oy, ox, 0u, u.out_h, u.out_w, u.out_c4);
      if (MODE == 0u) {
        let wb = (tap * u.in_c4 + p.g) * u.out_c4 * 4u;
        for (var c4 = 0u; c4 < u.out_c4; c4++) {
          let d = dy[base + c4];
          let k = wb + c4 * 4u;
          acc += d.x * w[k] + d.y * w[k + 1u] + d.z * w[k + 2u] + d.w * w[k + 3u];
        }
      } else if (MODE == 1u) {
        acc += dy[base + p.g] * w[tap * u.in_c4 + p.g];
      } else {
        for (var l = 0u; l < 4u; l++) {
          let ci = p.g * 4u + l;
          if (ci >= u.in_c) { break; }
          let grp = ci / u.cin_per_group;
          let wb = (tap * u.cin_per_group + ci % u.cin_per_group) * u.out_c;
          var s = 0.0;
          for (var j = 0u; j < u.cout_per_group; j++) {
            let co = grp * u.cout_per_group + j;
            s += dy_scalar(base, co) * w_scalar(wb + co);
          }
          acc[l] += s;
        }
      }
    }
  }
  dx[i] = select(vec4<f32>(0.0), acc, channel_lanes(p.g, u.in_c));
}
