// Pass 2 of the SH projection: one invocation per coefficient sums the H row partials.
struct Params {
  h: u32,
  pad0: u32,
}

@group(0) @binding(0) var<storage, read> rows: array<vec4<f32>>;     // [1, H, 9, 4]
@group(0) @binding(1) var<storage, read_write> sh: array<vec4<f32>>; // [1, 1, 9, 4]
@group(0) @binding(2) var<uniform> u: Params;

@compute @workgroup_size(9, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let k = gid.x;
  if (k >= 9u) { return; }
  var acc = vec4<f32>(0.0);
  for (var y = 0u; y < u.h; y++) { acc += rows[y * 9u + k]; }
  sh[k] = acc;
}
