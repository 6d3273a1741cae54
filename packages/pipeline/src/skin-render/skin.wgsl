// Realistic skin shading with separate diffuse and specular normals (AvatarMe++'s released renderer,
// pytorch3d-me): Lambert with the diffuse normals, Blinn-Phong with the specular normals and the
// specular albedo, ambient from a second-order SH environment. Two outputs, so the diffuse term can
// be blurred for subsurface scattering before the specular term is added (composite.wgsl).
// Normal maps are tangent space, OpenGL convention, decoded n = 2·c − 1 and applied through the
// interpolated tangent frame (pytorch3d-me adds x, y to the object normal instead; a TBN frame is
// what glTF viewers do, so the GLB looks the same elsewhere).

struct Uniforms {
  view_proj: mat4x4<f32>,
  model: mat4x4<f32>,
  eye: vec4<f32>,
  light_dir: vec4<f32>,        // towards the light, world space
  light_color: vec4<f32>,      // rgb · intensity
  env: array<vec4<f32>, 9>,    // SH irradiance coefficients, rgb per basis function
  shininess: f32,              // Blinn-Phong exponent
  specular_scale: f32,
  mode: u32,                   // 0 full, 1 diffuse albedo, 2 specular albedo, 3 diffuse normals, 4 specular normals, 5 shading only
  pad0: u32,
}

@group(0) @binding(0) var<uniform> u: Uniforms;
@group(0) @binding(1) var map_sampler: sampler;
@group(0) @binding(2) var diffuse_albedo: texture_2d<f32>;   // sRGB texture: sampled linear
@group(0) @binding(3) var specular_albedo: texture_2d<f32>;
@group(0) @binding(4) var diffuse_normals: texture_2d<f32>;
@group(0) @binding(5) var specular_normals: texture_2d<f32>;

struct VertexIn {
  @location(0) position: vec3<f32>,
  @location(1) normal: vec3<f32>,
  @location(2) tangent: vec4<f32>,
  @location(3) uv: vec2<f32>,
}

struct VertexOut {
  @builtin(position) clip: vec4<f32>,
  @location(0) world: vec3<f32>,
  @location(1) normal: vec3<f32>,
  @location(2) tangent: vec4<f32>,
  @location(3) uv: vec2<f32>,
}

@vertex
fn vs(v: VertexIn) -> VertexOut {
  var o: VertexOut;
  let world = u.model * vec4<f32>(v.position, 1.0);
  o.clip = u.view_proj * world;
  o.world = world.xyz;
  // The model matrix is a similarity (rotation, uniform scale, translation): it maps normals too.
  o.normal = (u.model * vec4<f32>(v.normal, 0.0)).xyz;
  o.tangent = vec4<f32>((u.model * vec4<f32>(v.tangent.xyz, 0.0)).xyz, v.tangent.w);
  o.uv = v.uv;
  return o;
}

fn sh_irradiance(n: vec3<f32>) -> vec3<f32> {
  var e = u.env[0].rgb * 0.282095;
  e += u.env[1].rgb * 0.488603 * n.y;
  e += u.env[2].rgb * 0.488603 * n.z;
  e += u.env[3].rgb * 0.488603 * n.x;
  e += u.env[4].rgb * 1.092548 * n.x * n.y;
  e += u.env[5].rgb * 1.092548 * n.y * n.z;
  e += u.env[6].rgb * 0.315392 * (3.0 * n.z * n.z - 1.0);
  e += u.env[7].rgb * 1.092548 * n.x * n.z;
  e += u.env[8].rgb * 0.546274 * (n.x * n.x - n.y * n.y);
  return max(e, vec3<f32>(0.0));
}

fn srgb_to_linear(c: vec3<f32>) -> vec3<f32> {
  return select(pow((c + 0.055) / 1.055, vec3<f32>(2.4)), c / 12.92, c <= vec3<f32>(0.04045));
}

fn perturb(frame_n: vec3<f32>, frame_t: vec3<f32>, frame_b: vec3<f32>, encoded: vec3<f32>) -> vec3<f32> {
  let t = encoded * 2.0 - 1.0;
  return normalize(frame_t * t.x + frame_b * t.y + frame_n * t.z);
}

struct FragmentOut {
  @location(0) diffuse: vec4<f32>,
  @location(1) specular: vec4<f32>,
}

@fragment
fn fs(f: VertexOut, @builtin(front_facing) front: bool) -> FragmentOut {
  var n = normalize(f.normal);
  if (!front) { n = -n; }
  let t = normalize(f.tangent.xyz - n * dot(n, f.tangent.xyz));
  let b = cross(n, t) * f.tangent.w;
  let a_d = textureSample(diffuse_albedo, map_sampler, f.uv).rgb;  // already linear (sRGB format)
  let a_s = textureSample(specular_albedo, map_sampler, f.uv).r;
  let enc_nd = textureSample(diffuse_normals, map_sampler, f.uv).rgb;
  let enc_ns = textureSample(specular_normals, map_sampler, f.uv).rgb;
  let n_d = perturb(n, t, b, enc_nd);
  let n_s = perturb(n, t, b, enc_ns);

  var out: FragmentOut;
  out.specular = vec4<f32>(0.0, 0.0, 0.0, 1.0);
  switch u.mode {
    case 1u: { out.diffuse = vec4<f32>(a_d, 1.0); return out; }
    case 2u: { out.diffuse = vec4<f32>(srgb_to_linear(vec3<f32>(a_s)), 1.0); return out; }
    case 3u: { out.diffuse = vec4<f32>(srgb_to_linear(enc_nd), 1.0); return out; }
    case 4u: { out.diffuse = vec4<f32>(srgb_to_linear(enc_ns), 1.0); return out; }
    default: {}
  }
  let l = normalize(u.light_dir.xyz);
  let v = normalize(u.eye.xyz - f.world);
  let h = normalize(l + v);
  let lambert = max(dot(n_d, l), 0.0);
  let irradiance = sh_irradiance(n_d) + u.light_color.rgb * lambert;
  let albedo = select(a_d, vec3<f32>(0.8), u.mode == 5u);
  out.diffuse = vec4<f32>(irradiance * albedo, 1.0);
  let n_dot_l = dot(n_s, l);
  let blinn = select(0.0, pow(max(dot(n_s, h), 0.0), u.shininess), n_dot_l > 0.0);
  let spec_albedo = select(a_s, 0.3, u.mode == 5u);
  out.specular = vec4<f32>(u.light_color.rgb * blinn * spec_albedo * u.specular_scale, 1.0);
  return out;
}
