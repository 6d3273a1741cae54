// Copies the diffuse render target into a tensor for the SSS blur: rgb · coverage and coverage.
struct Params {
  width: u32,
  height: u32,
}

@group(0) @binding(0) var diffuse: texture_2d<f32>;
@group(0) @binding(1) var<storage, read_write> out: array<vec4<f32>>;
@group(0) @binding(2) var<uniform> u: Params;

@compute @workgroup_size(8, 8, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  if (gid.x >= u.width || gid.y >= u.height) { return; }
  let d = textureLoad(diffuse, vec2<i32>(gid.xy), 0);
  let c = select(0.0, 1.0, d.a >= 0.5);
  out[gid.y * u.width + gid.x] = vec4<f32>(d.rgb * c, c);
}
