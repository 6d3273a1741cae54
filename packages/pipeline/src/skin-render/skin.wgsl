// Skin shading with separate diffuse and specular normals (AvatarMe's reflectance maps), in linear
// radiance. Two outputs so the diffuse term can be blurred for subsurface scattering before the
// specular term is added and the sum tone-mapped (composite.wgsl).
// - Diffuse: Lambert on the diffuse normals; environment irradiance from radiance SH9 (Ramamoorthi
//   & Hanrahan 2001) plus a key light with a shadow map; ambient occlusion per vertex.
// - Specular: GGX with Smith height-correlated visibility and Schlick's Fresnel on the specular
//   normals, α per texel from the roughness map (glTF's perceptual roughness squared), F0 = f0_scale · specular albedo and F90 = specular albedo (KHR_materials_specular's
//   rule: the strength scales the grazing reflectance too; skin-brdf.ts); environment specular by the
//   split sum (prefiltered radiance × (F0·A + F90·B) from the BRDF table, Karis 2013).
// Normal maps are tangent space, OpenGL convention, applied through the interpolated tangent frame
// as glTF viewers do. The environment is turned about +y by env_rot before every lookup.

struct Uniforms {
  view_proj: mat4x4<f32>,
  model: mat4x4<f32>,
  light_view_proj: mat4x4<f32>,
  eye: vec4<f32>,
  light_dir: vec4<f32>,        // towards the key light, world space
  light_color: vec4<f32>,      // key light irradiance (rgb)
  env: array<vec4<f32>, 9>,    // radiance SH coefficients (rgb), environment frame
  env_rot: vec4<f32>,          // cos θ, sin θ of the environment's turn about +y
  env_scale: f32,              // multiplies the prefiltered radiance (the SH come scaled)
  alpha: f32,                  // GGX α for the whole face; 0: the roughness map's
  f0_scale: f32,               // F0 = f0_scale · specular albedo
  mode: u32,                   // 0 full, 1 diffuse albedo, 2 specular albedo, 3 diffuse normals, 4 specular normals, 5 shading only
  ibl_levels: u32,             // 0: no prefiltered map, environment specular from the SH
  ibl_h: u32,
  lut_size: u32,
  shadow_on: u32,
  shadow_texel: f32,           // 1 / shadow map size
  ao_strength: f32,            // 0 ignores the occlusion attribute
  pad0: f32,
  pad1: f32,
}

@group(0) @binding(0) var<uniform> u: Uniforms;
@group(0) @binding(1) var map_sampler: sampler;
@group(0) @binding(2) var diffuse_albedo: texture_2d<f32>;   // sRGB texture: sampled linear
@group(0) @binding(3) var specular_albedo: texture_2d<f32>;
@group(0) @binding(4) var diffuse_normals: texture_2d<f32>;
@group(0) @binding(5) var specular_normals: texture_2d<f32>;
@group(0) @binding(6) var<storage, read> prefiltered: array<vec4<f32>>; // [levels, h, 2h, 4]
@group(0) @binding(7) var<storage, read> brdf_lut: array<vec4<f32>>;    // [1, n, n, 4]: rg = (A, B)
@group(0) @binding(8) var shadow_map: texture_depth_2d;
@group(0) @binding(9) var shadow_sampler: sampler_comparison;
@group(0) @binding(10) var roughness_map: texture_2d<f32>;   // perceptual roughness √α in green

const PI = 3.14159265358979;

struct VertexIn {
  @location(0) position: vec3<f32>,
  @location(1) normal: vec3<f32>,
  @location(2) tangent: vec4<f32>,
  @location(3) uv: vec2<f32>,
  @location(4) occlusion: f32,
}

struct VertexOut {
  @builtin(position) clip: vec4<f32>,
  @location(0) world: vec3<f32>,
  @location(1) normal: vec3<f32>,
  @location(2) tangent: vec4<f32>,
  @location(3) uv: vec2<f32>,
  @location(4) occlusion: f32,
  @location(5) view_depth: f32,
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
  o.occlusion = v.occlusion;
  o.view_depth = o.clip.w;
  return o;
}

@vertex
fn vs_shadow(@location(0) position: vec3<f32>) -> @builtin(position) vec4<f32> {
  return u.light_view_proj * u.model * vec4<f32>(position, 1.0);
}

fn to_env(d: vec3<f32>) -> vec3<f32> {
  // World → environment frame: turn by −θ about +y.
  let c = u.env_rot.x;
  let s = u.env_rot.y;
  return vec3<f32>(c * d.x + s * d.z, d.y, -s * d.x + c * d.z);
}

fn sh_irradiance(world_n: vec3<f32>) -> vec3<f32> {
  let n = to_env(world_n);
  // Â_l · Y_k: Â = π, 2π/3, π/4.
  var e = u.env[0].rgb * (PI * 0.282095);
  e += u.env[1].rgb * (2.0 * PI / 3.0 * 0.488603 * n.y);
  e += u.env[2].rgb * (2.0 * PI / 3.0 * 0.488603 * n.z);
  e += u.env[3].rgb * (2.0 * PI / 3.0 * 0.488603 * n.x);
  e += u.env[4].rgb * (PI / 4.0 * 1.092548 * n.x * n.y);
  e += u.env[5].rgb * (PI / 4.0 * 1.092548 * n.y * n.z);
  e += u.env[6].rgb * (PI / 4.0 * 0.315392 * (3.0 * n.z * n.z - 1.0));
  e += u.env[7].rgb * (PI / 4.0 * 1.092548 * n.x * n.z);
  e += u.env[8].rgb * (PI / 4.0 * 0.546274 * (n.x * n.x - n.y * n.y));
  return max(e, vec3<f32>(0.0));
}

fn prefiltered_texel(level: u32, x: i32, y: i32) -> vec3<f32> {
  let h = i32(u.ibl_h);
  let w = 2 * h;
  let xx = ((x % w) + w) % w;
  let yy = clamp(y, 0, h - 1);
  return prefiltered[(level * u.ibl_h + u32(yy)) * u32(w) + u32(xx)].rgb;
}

fn prefiltered_level(level: u32, d: vec3<f32>) -> vec3<f32> {
  let uu = atan2(d.z, d.x) / (2.0 * PI) + 0.5;
  let vv = 0.5 - asin(clamp(d.y, -1.0, 1.0)) / PI;
  let fx = uu * f32(2u * u.ibl_h) - 0.5;
  let fy = vv * f32(u.ibl_h) - 0.5;
  let x0 = floor(fx);
  let y0 = floor(fy);
  let ix = i32(x0);
  let iy = i32(y0);
  let top = mix(prefiltered_texel(level, ix, iy), prefiltered_texel(level, ix + 1, iy), fx - x0);
  let bottom = mix(prefiltered_texel(level, ix, iy + 1), prefiltered_texel(level, ix + 1, iy + 1), fx - x0);
  return mix(top, bottom, fy - y0);
}

/** Environment radiance around world direction r for perceptual roughness `rough`. */
fn environment_specular(r: vec3<f32>, rough: f32) -> vec3<f32> {
  if (u.ibl_levels == 0u) {
    // No prefiltered map: the irradiance-weighted radiance, E / π, is the roughest lobe there is.
    return sh_irradiance(r) / PI;
  }
  let d = to_env(r);
  let f = clamp(rough, 0.0, 1.0) * f32(u.ibl_levels - 1u);
  let l0 = u32(floor(f));
  let l1 = min(l0 + 1u, u.ibl_levels - 1u);
  return mix(prefiltered_level(l0, d), prefiltered_level(l1, d), f - floor(f)) * u.env_scale;
}

fn lut(nv: f32, rough: f32) -> vec2<f32> {
  let n = i32(u.lut_size);
  let fx = clamp(nv * f32(n) - 0.5, 0.0, f32(n - 1));
  let fy = clamp(rough * f32(n) - 0.5, 0.0, f32(n - 1));
  let x0 = i32(floor(fx));
  let y0 = i32(floor(fy));
  let x1 = min(x0 + 1, n - 1);
  let y1 = min(y0 + 1, n - 1);
  let top = mix(brdf_lut[y0 * n + x0].rg, brdf_lut[y0 * n + x1].rg, fx - f32(x0));
  let bottom = mix(brdf_lut[y1 * n + x0].rg, brdf_lut[y1 * n + x1].rg, fx - f32(x0));
  return mix(top, bottom, fy - f32(y0));
}

fn shadow(world: vec3<f32>, n: vec3<f32>) -> f32 {
  if (u.shadow_on == 0u) { return 1.0; }
  let p = u.light_view_proj * vec4<f32>(world, 1.0);
  let ndc = p.xyz / p.w;
  let uv = vec2<f32>(ndc.x * 0.5 + 0.5, 0.5 - ndc.y * 0.5);
  if (any(uv < vec2<f32>(0.0)) || any(uv > vec2<f32>(1.0))) { return 1.0; }
  // 3×3 taps of 2×2 hardware comparisons: a soft-edged 4-texel penumbra.
  var lit = 0.0;
  for (var dy = -1; dy <= 1; dy++) {
    for (var dx = -1; dx <= 1; dx++) {
      let o = vec2<f32>(f32(dx), f32(dy)) * u.shadow_texel;
      lit += textureSampleCompareLevel(shadow_map, shadow_sampler, uv + o, ndc.z);
    }
  }
  return lit / 9.0;
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
  let mapped_rough = textureSample(roughness_map, map_sampler, f.uv).g;
  let n_d = perturb(n, t, b, enc_nd);
  let n_s = perturb(n, t, b, enc_ns);
  // Shadow lookups need uniform control flow: take them before the mode switch.
  let lit = shadow(f.world, n);

  var out: FragmentOut;
  out.specular = vec4<f32>(0.0, 0.0, 0.0, f.view_depth);
  switch u.mode {
    case 1u: { out.diffuse = vec4<f32>(a_d, 1.0); return out; }
    case 2u: { out.diffuse = vec4<f32>(srgb_to_linear(vec3<f32>(a_s)), 1.0); return out; }
    case 3u: { out.diffuse = vec4<f32>(srgb_to_linear(enc_nd), 1.0); return out; }
    case 4u: { out.diffuse = vec4<f32>(srgb_to_linear(enc_ns), 1.0); return out; }
    default: {}
  }
  let occlusion = mix(1.0, f.occlusion, u.ao_strength);
  let l = normalize(u.light_dir.xyz);
  let v = normalize(u.eye.xyz - f.world);
  let albedo = select(a_d, vec3<f32>(0.8), u.mode == 5u);
  let key = u.light_color.rgb * lit;
  let strength = select(a_s, 0.25, u.mode == 5u);
  let f0 = u.f0_scale * strength;
  let f90 = strength;
  let rough = select(sqrt(u.alpha), clamp(mapped_rough, 0.03, 1.0), u.alpha <= 0.0);
  let a = rough * rough;
  let nv = clamp(dot(n_s, v), 1e-4, 1.0);
  let ab = lut(nv, rough);
  // Energy the specular lobe reflects from the environment does not enter the skin (as three.js and
  // Filament do for image-based light).
  let env_kd = 1.0 - (f0 * ab.x + f90 * ab.y);
  let irradiance = sh_irradiance(n_d) * (occlusion * env_kd) + key * max(dot(n_d, l), 0.0);
  out.diffuse = vec4<f32>(irradiance * albedo / PI, 1.0);

  // Key light: D · V · F · n·l.
  let h = normalize(l + v);
  let nl = dot(n_s, l);
  var spec = vec3<f32>(0.0);
  if (nl > 0.0) {
    let nh = max(dot(n_s, h), 0.0);
    let a2 = a * a;
    let dd = nh * nh * (a2 - 1.0) + 1.0;
    let d = a2 / (PI * dd * dd);
    let vis = 0.5 / (nl * sqrt(nv * nv * (1.0 - a2) + a2) + nv * sqrt(nl * nl * (1.0 - a2) + a2));
    let fres = f0 + (f90 - f0) * pow(1.0 - max(dot(v, h), 0.0), 5.0);
    spec = key * (d * vis * fres * nl);
  }
  // Environment: split sum.
  let r = reflect(-v, n_s);
  spec += environment_specular(r, rough) * (f0 * ab.x + f90 * ab.y) * occlusion;
  out.specular = vec4<f32>(spec, f.view_depth);
  return out;
}
