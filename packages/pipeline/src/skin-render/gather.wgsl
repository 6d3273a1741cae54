// Packs the diffuse render target and the view depth (the specular target's alpha) into a tensor for
// the subsurface blur: (diffuse rgb, depth in mm), depth 0 where nothing was drawn.
struct Params {
  width: u32,
  height: u32,
  mm_per_depth: f32,   // millimetres per unit of clip w
  pad0: u32,
}

@group(0) @binding(0) var diffuse: texture_2d<f32>;
@group(0) @binding(1) var specular: texture_2d<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<vec4<f32>>;
@group(0) @binding(3) var<uniform> u: Params;

@compute @workgroup_size(8, 8, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  if (gid.x >= u.width || gid.y >= u.height) { return; }
  let p = vec2<i32>(gid.xy);
  let d = textureLoad(diffuse, p, 0);
  let depth = textureLoad(specular, p, 0).a * u.mm_per_depth;
  out[gid.y * u.width + gid.x] = select(vec4<f32>(0.0), vec4<f32>(d.rgb, depth), d.a >= 0.5);
}
