// Subsurface scattering, exposure, tone mapping and composition. The diffuse term, blurred over a
// width given in millimetres on the skin (kernels' subsurfaceBlur, depth-aware), is mixed per colour
// channel with t = translucency · (0.4, 0.1, 0.035) — red scatters furthest (after Borshukov & Lewis
// 2003 with d'Eon's weights) — and the specular term is added. The linear sum is scaled by the
// exposure, tone-mapped (Khronos PBR Neutral, or the ACES fit of Narkowicz 2015, or a clamp) and
// encoded sRGB. Output: sRGB in [0, 1], alpha = coverage.

struct Params {
  width: u32,
  height: u32,
  translucency: f32,
  exposure: f32,        // linear multiplier, 2^EV
  background: vec4<f32>,
  tone: u32,            // 0 clamp, 1 Khronos PBR Neutral, 2 ACES (Narkowicz)
  pad0: u32,
  pad1: u32,
  pad2: u32,
}

@group(0) @binding(0) var diffuse: texture_2d<f32>;
@group(0) @binding(1) var specular: texture_2d<f32>;
@group(0) @binding(2) var<storage, read> blurred: array<vec4<f32>>;   // blurred diffuse rgb, depth in w
@group(0) @binding(3) var<storage, read_write> image: array<vec4<f32>>;
@group(0) @binding(4) var<uniform> u: Params;

fn linear_to_srgb(c: vec3<f32>) -> vec3<f32> {
  return select(1.055 * pow(c, vec3<f32>(1.0 / 2.4)) - 0.055, c * 12.92, c <= vec3<f32>(0.0031308));
}

// Khronos PBR Neutral (Khronos 3D Commerce, 2024): identity below 0.76 apart from a small toe,
// highlights compressed towards white without hue shifts.
fn pbr_neutral(c_in: vec3<f32>) -> vec3<f32> {
  let start = 0.8 - 0.04;
  let desaturation = 0.15;
  let x = min(c_in.r, min(c_in.g, c_in.b));
  let offset = select(0.04, x - 6.25 * x * x, x < 0.08);
  var c = c_in - offset;
  let peak = max(c.r, max(c.g, c.b));
  if (peak < start) { return c; }
  let d = 1.0 - start;
  let new_peak = 1.0 - d * d / (peak + d - start);
  c *= new_peak / peak;
  let g = 1.0 - 1.0 / (desaturation * (peak - new_peak) + 1.0);
  return mix(c, vec3<f32>(new_peak), g);
}

fn aces(c: vec3<f32>) -> vec3<f32> {
  return (c * (2.51 * c + 0.03)) / (c * (2.43 * c + 0.59) + 0.14);
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
  let scattered = blurred[i].rgb;
  let t = u.translucency * vec3<f32>(0.4, 0.1, 0.035);
  var colour = max((t * scattered + (1.0 - t) * d.rgb + s.rgb) * u.exposure, vec3<f32>(0.0));
  if (u.tone == 1u) { colour = pbr_neutral(colour); }
  if (u.tone == 2u) { colour = aces(colour); }
  image[i] = vec4<f32>(linear_to_srgb(clamp(colour, vec3<f32>(0.0), vec3<f32>(1.0))), 1.0);
}
