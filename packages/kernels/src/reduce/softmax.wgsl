// Softmax over the channels of each pixel: subtract the pixel's maximum before exp (no overflow for
// large logits), then divide by the sum. Pad lanes take no part and are written as zero.

//@include flat-index
//@include nhwc

struct Params {
  pixels: u32,
  c4: u32,
  c: u32,
}

@group(0) @binding(0) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> y: array<vec4<f32>>;
@group(0) @binding(2) var<uniform> u: Params;

@compute @workgroup_size(FLAT_WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) grid: vec3<u32>) {
  let p = flat_index(gid, grid);
  if (p >= u.pixels) { return; }
  let base = p * u.c4;
  var mx = vec4<f32>(-3.0e38);
  for (var g = 0u; g < u.c4; g++) {
    mx = max(mx, select(vec4<f32>(-3.0e38), x[base + g], channel_lanes(g, u.c)));
  }
  let m = max(max(mx.x, mx.y), max(mx.z, mx.w));
  var s = vec4<f32>(0.0);
  for (var g = 0u; g < u.c4; g++) {
    s += select(vec4<f32>(0.0), exp(x[base + g] - m), channel_lanes(g, u.c));
  }
  let inv = 1.0 / (s.x + s.y + s.z + s.w);
  for (var g = 0u; g < u.c4; g++) {
    y[base + g] = select(vec4<f32>(0.0), exp(x[base + g] - m) * inv, channel_lanes(g, u.c));
  }
}
