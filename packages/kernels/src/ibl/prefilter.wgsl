// Split-sum prefiltered specular environment (Karis, "Real Shading in Unreal Engine 4", 2013): for
// each output direction R and roughness level, the GGX-weighted mean of the radiance around R with
// N = V = R, importance-sampled with a Hammersley set and weighted by n·l. Perceptual roughness of
// level l = l / (levels − 1), α = roughness². Equirect mapping as in sh-project.wgsl.
// Filtered importance sampling (Křivánek & Colbert, GPU Gems 3 ch. 20, 2007): each sample reads the
// source's mip chain (equirect-mip.wgsl) at the level whose texels cover the solid angle the sample
// stands for, 1 / (N · pdf). Reading level 0 only, a few hundred samples of an environment with small
// bright lights (the studio's are ~500× its mean) hit or miss them texel by texel; the sample set turns
// with the tangent frame, so near the poles the error varied with azimuth alone and a crown lit from
// straight above showed it as a radial starburst. Lookups are bilinear (u wraps, v clamps) and linear
// between mip levels.

struct Params {
  src_h: u32,
  src_w: u32,
  h: u32,
  w: u32,
  levels: u32,
  samples: u32,
  mip_count: u32,
  pad0: u32,
}

@group(0) @binding(0) var<storage, read> mips: array<vec4<f32>>;     // level k: max(Hs >> k, 1) × 2 that
@group(0) @binding(1) var<storage, read_write> out: array<vec4<f32>>; // [levels, H, W, 4]
@group(0) @binding(2) var<uniform> u: Params;

const PI = 3.14159265358979;

fn direction(px: f32, py: f32, w: f32, h: f32) -> vec3<f32> {
  let lat = PI * (0.5 - py / h);
  let phi = 2.0 * PI * (px / w - 0.5);
  return vec3<f32>(cos(phi) * cos(lat), sin(lat), sin(phi) * cos(lat));
}

fn level_h(k: u32) -> u32 {
  return max(u.src_h >> k, 1u);
}

fn level_offset(k: u32) -> u32 {
  var off = 0u;
  for (var j = 0u; j < k; j++) { off += 2u * level_h(j) * level_h(j); }
  return off;
}

fn texel(off: u32, h: i32, x: i32, y: i32) -> vec3<f32> {
  let w = 2 * h;
  let xx = ((x % w) + w) % w;
  let yy = clamp(y, 0, h - 1);
  return mips[off + u32(yy * w + xx)].rgb;
}

fn sample_level(k: u32, d: vec3<f32>) -> vec3<f32> {
  let off = level_offset(k);
  let h = i32(level_h(k));
  let uu = atan2(d.z, d.x) / (2.0 * PI) + 0.5;
  let vv = 0.5 - asin(clamp(d.y, -1.0, 1.0)) / PI;
  let fx = uu * f32(2 * h) - 0.5;
  let fy = vv * f32(h) - 0.5;
  let x0 = floor(fx);
  let y0 = floor(fy);
  let tx = fx - x0;
  let ty = fy - y0;
  let ix = i32(x0);
  let iy = i32(y0);
  let top = mix(texel(off, h, ix, iy), texel(off, h, ix + 1, iy), tx);
  let bottom = mix(texel(off, h, ix, iy + 1), texel(off, h, ix + 1, iy + 1), tx);
  return mix(top, bottom, ty);
}

fn sample_lod(lod: f32, d: vec3<f32>) -> vec3<f32> {
  let k0 = u32(floor(lod));
  let k1 = min(k0 + 1u, u.mip_count - 1u);
  return mix(sample_level(k0, d), sample_level(k1, d), lod - floor(lod));
}

fn radical_inverse(i: u32) -> f32 {
  var b = (i << 16u) | (i >> 16u);
  b = ((b & 0x55555555u) << 1u) | ((b & 0xAAAAAAAAu) >> 1u);
  b = ((b & 0x33333333u) << 2u) | ((b & 0xCCCCCCCCu) >> 2u);
  b = ((b & 0x0F0F0F0Fu) << 4u) | ((b & 0xF0F0F0F0u) >> 4u);
  b = ((b & 0x00FF00FFu) << 8u) | ((b & 0xFF00FF00u) >> 8u);
  return f32(b) * 2.3283064365386963e-10;
}

@compute @workgroup_size(8, 8, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  if (gid.x >= u.w || gid.y >= u.h || gid.z >= u.levels) { return; }
  let n = direction(f32(gid.x) + 0.5, f32(gid.y) + 0.5, f32(u.w), f32(u.h));
  let roughness = f32(gid.z) / f32(max(u.levels - 1u, 1u));
  let a = roughness * roughness;
  let o = ((gid.z * u.h + gid.y) * u.w + gid.x);
  if (a < 1e-4) {
    out[o] = vec4<f32>(sample_level(0u, n), 1.0);
    return;
  }
  // Mean solid angle of a level-0 texel; a sample stands for 1 / (N · pdf), pdf = D / 4 with n = v.
  let texel_omega = 4.0 * PI / f32(u.src_w * u.src_h);
  let a2 = a * a;
  let max_lod = f32(u.mip_count - 1u);
  // Tangent frame around n.
  let up = select(vec3<f32>(1.0, 0.0, 0.0), vec3<f32>(0.0, 1.0, 0.0), abs(n.y) < 0.999);
  let tx = normalize(cross(up, n));
  let ty = cross(n, tx);
  var acc = vec3<f32>(0.0);
  var wsum = 0.0;
  for (var i = 0u; i < u.samples; i++) {
    let e1 = (f32(i) + 0.5) / f32(u.samples);
    let e2 = radical_inverse(i);
    let phi = 2.0 * PI * e2;
    let cos_t = sqrt((1.0 - e1) / (1.0 + (a * a - 1.0) * e1));
    let sin_t = sqrt(max(1.0 - cos_t * cos_t, 0.0));
    let hv = tx * (sin_t * cos(phi)) + ty * (sin_t * sin(phi)) + n * cos_t;
    let l = 2.0 * dot(n, hv) * hv - n;
    let nl = dot(n, l);
    if (nl > 0.0) {
      let dd = cos_t * cos_t * (a2 - 1.0) + 1.0;
      let pdf = a2 / (PI * dd * dd) / 4.0;
      let sample_omega = 1.0 / (f32(u.samples) * pdf);
      let lod = clamp(0.5 * log2(sample_omega / texel_omega), 0.0, max_lod);
      acc += sample_lod(lod, l) * nl;
      wsum += nl;
    }
  }
  out[o] = vec4<f32>(acc / max(wsum, 1e-8), 1.0);
}
