// Subsurface scattering and composition (pytorch3d-me, after Borshukov & Lewis 2003 with d'Eon's
// weights): the diffuse term, blurred with a wide Gaussian and scaled by an energy weight, is mixed
// per colour channel with t = translucency · (0.4, 0.1, 0.035) — red scatters furthest — and the
// specular term is added on top. Output: sRGB in [0, 1], alpha = coverage.

struct Params {
  width: u32,
  height: u32,
  translucency: f32,
  energy: f32,
  background: vec4<f32>,
}

@group(0) @binding(0) var diffuse: texture_2d<f32>;
@group(0) @binding(1) var specular: texture_2d<f32>;
@group(0) @binding(2) var<storage, read> blurred: array<vec4<f32>>;   // blur(diffuse · coverage), blur(coverage) in w
@group(0) @binding(3) var<storage, read_write> image: array<vec4<f32>>;
@group(0) @binding(4) var<uniform> u: Params;

fn linear_to_srgb(c: vec3<f32>) -> vec3<f32> {
  return select(1.055 * pow(c, vec3<f32>(1.0 / 2.4)) - 0.055, c * 12.92, c <= vec3<f32>(0.0031308));
}

@compute @workgroup_size(8, 8, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  if (gid.x >= u.width || gid.y >= u.height) { return; }
  let p = vec2<i32>(gid.xy);
  let d = textureLoad(diffuse, p, 0);
  let s = textureLoad(specular, p, 0);
  let i = gid.y * u.width + gid.x;
  if (d.a < 0.5) {
    image[i] = u.background;
    return;
  }
  let b = blurred[i];
  // Normalised blur: background pixels do not darken the silhouette.
  let scattered = b.rgb / max(b.w, 1e-4) * u.energy;
  let t = u.translucency * vec3<f32>(0.4, 0.1, 0.035);
  let colour = clamp(t * scattered + (1.0 - t) * d.rgb + s.rgb, vec3<f32>(0.0), vec3<f32>(1.0));
  image[i] = vec4<f32>(linear_to_srgb(colour), 1.0);
}
