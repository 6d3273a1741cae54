// Analytic reflectance, pass 1 (per texel): de-lighting and specular albedo.
//   diffuse albedo  = texture / SH shading, in linear colour, clamped to [0, 1], stored as sRGB;
//   specular albedo = a smooth prior over the face's UV regions, modulated by the albedo's
//                     saturation (less saturated skin — forehead, nose — is shinier than lips);
//   luminance       = linear luminance of the texture (lane 0), input of the normal-detail pass: the
//                     SH shading is smooth, so the texture's high frequencies are the albedo's, and
//                     the texture has no step at the edge of the face mask where de-lighting stops.
// Texels outside the face mask keep the texture's colour and a low specular value.

struct Params {
  width: u32,
  height: u32,
  blob_count: u32,
  min_shading: f32,
  base_specular: f32,
  outside_specular: f32,
}

struct Blob {
  centre_radius: vec4<f32>,  // u, v, radius (UV units), amplitude
}

@group(0) @binding(0) var<storage, read> texture: array<vec4<f32>>;   // sRGB [0,1]
@group(0) @binding(1) var<storage, read> normals: array<vec4<f32>>;   // object-space unit normals
@group(0) @binding(2) var<storage, read> mask: array<vec4<f32>>;      // lane 0: 1 = face
@group(0) @binding(3) var<storage, read> sh: array<vec4<f32>>;        // 27 coefficients, channel-major, padded to 28
@group(0) @binding(4) var<storage, read> blobs: array<Blob>;
@group(0) @binding(5) var<storage, read_write> albedo: array<vec4<f32>>;
@group(0) @binding(6) var<storage, read_write> specular: array<vec4<f32>>;
@group(0) @binding(7) var<storage, read_write> luminance: array<vec4<f32>>;
@group(0) @binding(8) var<uniform> u: Params;

fn srgb_to_linear(c: vec3<f32>) -> vec3<f32> {
  return select(pow((c + 0.055) / 1.055, vec3<f32>(2.4)), c / 12.92, c <= vec3<f32>(0.04045));
}

fn linear_to_srgb(c: vec3<f32>) -> vec3<f32> {
  return select(1.055 * pow(c, vec3<f32>(1.0 / 2.4)) - 0.055, c * 12.92, c <= vec3<f32>(0.0031308));
}

fn coeff(i: u32) -> f32 {
  return sh[i / 4u][i % 4u];
}

fn shade(channel: u32, n: vec3<f32>) -> f32 {
  let o = channel * 9u;
  var s = coeff(o) * 0.282095;
  s += coeff(o + 1u) * 0.488603 * n.y;
  s += coeff(o + 2u) * 0.488603 * n.z;
  s += coeff(o + 3u) * 0.488603 * n.x;
  s += coeff(o + 4u) * 1.092548 * n.x * n.y;
  s += coeff(o + 5u) * 1.092548 * n.y * n.z;
  s += coeff(o + 6u) * 0.315392 * (3.0 * n.z * n.z - 1.0);
  s += coeff(o + 7u) * 1.092548 * n.x * n.z;
  s += coeff(o + 8u) * 0.546274 * (n.x * n.x - n.y * n.y);
  return s;
}

@compute @workgroup_size(8, 8, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  if (gid.x >= u.width || gid.y >= u.height) { return; }
  let i = gid.y * u.width + gid.x;
  let tex = texture[i].rgb;
  let inside = mask[i].x > 0.5;
  let n = normals[i].xyz;
  var rgb = tex;
  if (inside && dot(n, n) > 0.25) {
    let nn = normalize(n);
    let s = max(vec3<f32>(shade(0u, nn), shade(1u, nn), shade(2u, nn)), vec3<f32>(u.min_shading));
    rgb = linear_to_srgb(clamp(srgb_to_linear(tex) / s, vec3<f32>(0.0), vec3<f32>(1.0)));
  }
  albedo[i] = vec4<f32>(rgb, 0.0);

  let lum = dot(srgb_to_linear(tex), vec3<f32>(0.2126, 0.7152, 0.0722));
  luminance[i] = vec4<f32>(lum, 0.0, 0.0, 0.0);

  let uv = (vec2<f32>(f32(gid.x), f32(gid.y)) + 0.5) / vec2<f32>(f32(u.width), f32(u.height));
  var prior = u.base_specular;
  for (var b = 0u; b < u.blob_count; b++) {
    let blob = blobs[b].centre_radius;
    let d = (uv - blob.xy) / blob.z;
    prior += blob.w * exp(-0.5 * dot(d, d));
  }
  let maxc = max(rgb.r, max(rgb.g, rgb.b));
  let minc = min(rgb.r, min(rgb.g, rgb.b));
  let saturation = select(0.0, (maxc - minc) / maxc, maxc > 1e-4);
  let spec = select(u.outside_specular, clamp(prior * (1.15 - 0.6 * saturation), 0.0, 1.0), inside);
  specular[i] = vec4<f32>(spec, 0.0, 0.0, 0.0);
}
