// Unpacks RGBA8 pixels (one u32 per pixel, R in the low byte, as a little-endian view of canvas
// ImageData) into a [N, H, W, 3|4] float tensor: y = v·scale + bias per channel, v in 0..255.
// With 3 channels the alpha lane is the tensor's zero pad lane.

//@include flat-index

struct Params {
  count: u32,       // pixels
  channels: u32,    // 3 or 4
  scale: vec4<f32>,
  bias: vec4<f32>,
}

@group(0) @binding(0) var<storage, read> packed: array<u32>;
@group(0) @binding(1) var<storage, read_write> dst: array<vec4<f32>>;
@group(0) @binding(2) var<uniform> u: Params;

@compute @workgroup_size(FLAT_WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) grid: vec3<u32>) {
  let i = flat_index(gid, grid);
  if (i >= u.count) { return; }
  let p = packed[i];
  let v = vec4<f32>(vec4<u32>(p & 255u, (p >> 8u) & 255u, (p >> 16u) & 255u, p >> 24u));
  var y = v * u.scale + u.bias;
  if (u.channels == 3u) { y.w = 0.0; }
  dst[i] = y;
}
