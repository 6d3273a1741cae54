// Analytic reflectance, pass 1 (per texel):
//   diffuse albedo  = texture × ratio in linear colour, clamped to [0, 1], stored as sRGB; the ratio is
//                     the de-lighting (delight.ts) made at the unwrap's size, so it carries to an
//                     upsampled texture without redoing the lighting fit;
//   specular albedo = the prepared map inside the layout, a low constant outside;
//   luminance       = linear luminance of the de-lit albedo (lane 0), input of the normal pass: detail
//                     comes from the albedo, not from the lit texture's shadows.
// Texels outside the layout keep the texture's colour.

struct Params {
  width: u32,
  height: u32,
  outside_specular: f32,
}

@group(0) @binding(0) var<storage, read> texture: array<vec4<f32>>;      // sRGB [0,1]
@group(0) @binding(1) var<storage, read> ratio: array<vec4<f32>>;        // linear albedo / texture
@group(0) @binding(2) var<storage, read> mask: array<vec4<f32>>;         // lane 0: 1 = layout
@group(0) @binding(3) var<storage, read> specular_in: array<vec4<f32>>;  // lane 0
@group(0) @binding(4) var<storage, read_write> albedo: array<vec4<f32>>;
@group(0) @binding(5) var<storage, read_write> specular: array<vec4<f32>>;
@group(0) @binding(6) var<storage, read_write> luminance: array<vec4<f32>>;
@group(0) @binding(7) var<uniform> u: Params;

fn srgb_to_linear(c: vec3<f32>) -> vec3<f32> {
  return select(pow((c + 0.055) / 1.055, vec3<f32>(2.4)), c / 12.92, c <= vec3<f32>(0.04045));
}

fn linear_to_srgb(c: vec3<f32>) -> vec3<f32> {
  return select(1.055 * pow(c, vec3<f32>(1.0 / 2.4)) - 0.055, c * 12.92, c <= vec3<f32>(0.0031308));
}

@compute @workgroup_size(8, 8, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  if (gid.x >= u.width || gid.y >= u.height) { return; }
  let i = gid.y * u.width + gid.x;
  let inside = mask[i].x > 0.5;
  var lin = srgb_to_linear(texture[i].rgb);
  if (inside) {
    lin = clamp(lin * max(ratio[i].rgb, vec3<f32>(0.0)), vec3<f32>(0.0), vec3<f32>(1.0));
  }
  albedo[i] = vec4<f32>(linear_to_srgb(lin), 0.0);
  luminance[i] = vec4<f32>(dot(lin, vec3<f32>(0.2126, 0.7152, 0.0722)), 0.0, 0.0, 0.0);
  specular[i] = vec4<f32>(select(u.outside_specular, clamp(specular_in[i].x, 0.0, 1.0), inside), 0.0, 0.0, 0.0);
}
