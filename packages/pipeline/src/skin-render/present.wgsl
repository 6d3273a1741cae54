// Draws an image tensor (sRGB values, alpha = coverage) onto a canvas over a background colour.
struct Params {
  width: u32,
  height: u32,
  pad0: u32,
  pad1: u32,
  background: vec4<f32>,
}

@group(0) @binding(0) var<storage, read> image: array<vec4<f32>>;
@group(0) @binding(1) var<uniform> u: Params;

@vertex
fn vs(@builtin(vertex_index) i: u32) -> @builtin(position) vec4<f32> {
  let p = vec2<f32>(f32((i << 1u) & 2u), f32(i & 2u));
  return vec4<f32>(p * 2.0 - 1.0, 0.0, 1.0);
}

@fragment
fn fs(@builtin(position) frag: vec4<f32>) -> @location(0) vec4<f32> {
  let x = min(u32(frag.x), u.width - 1u);
  let y = min(u32(frag.y), u.height - 1u);
  let c = image[y * u.width + x];
  // The canvas is configured with an sRGB-encoded (non -srgb) format: values pass through as stored.
  return vec4<f32>(mix(u.background.rgb, c.rgb, c.a), 1.0);
}
