// Packs a [N, H, W, 1|3|4] float tensor into RGBA8 (one u32 per pixel, R in the low byte):
// u8 = round-half-up(clamp(v·scale + bias, 0, 255)). One channel is written as gray; without a
// fourth channel alpha is 255.

//@include flat-index

struct Params {
  count: u32,       // pixels
  channels: u32,    // 1, 3 or 4
  scale: f32,
  bias: f32,
}

@group(0) @binding(0) var<storage, read> src: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> packed: array<u32>;
@group(0) @binding(2) var<uniform> u: Params;

@compute @workgroup_size(FLAT_WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) grid: vec3<u32>) {
  let i = flat_index(gid, grid);
  if (i >= u.count) { return; }
  var v = src[i];
  if (u.channels == 1u) { v = vec4<f32>(v.x, v.x, v.x, 0.0); }
  var b = floor(clamp(v * u.scale + u.bias, vec4<f32>(0.0), vec4<f32>(255.0)) + 0.5);
  if (u.channels != 4u) { b.w = 255.0; }
  let q = vec4<u32>(b);
  packed[i] = q.x | (q.y << 8u) | (q.z << 16u) | (q.w << 24u);
}
