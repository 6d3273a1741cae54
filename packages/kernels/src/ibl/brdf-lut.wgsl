// Split-sum BRDF table (Karis 2013): for n·v = (i + 0.5) / size and perceptual roughness
// (j + 0.5) / size (α = roughness²), the scale A and bias B of F0 in ∫ f_GGX · n·l dω ≈ F0·A + B,
// with Schlick's Fresnel and Smith's height-correlated GGX visibility (as Filament and three.js use),
// importance-sampled with a Hammersley set. Output rg = (A, B).

struct Params {
  size: u32,
  samples: u32,
}

@group(0) @binding(0) var<storage, read_write> lut: array<vec4<f32>>; // [1, size, size, 4]
@group(0) @binding(1) var<uniform> u: Params;

const PI = 3.14159265358979;

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
  if (gid.x >= u.size || gid.y >= u.size) { return; }
  let nv = (f32(gid.x) + 0.5) / f32(u.size);
  let roughness = (f32(gid.y) + 0.5) / f32(u.size);
  let a = roughness * roughness;
  let v = vec3<f32>(sqrt(1.0 - nv * nv), 0.0, nv);
  var sa = 0.0;
  var sb = 0.0;
  for (var i = 0u; i < u.samples; i++) {
    let e1 = (f32(i) + 0.5) / f32(u.samples);
    let e2 = radical_inverse(i);
    let phi = 2.0 * PI * e2;
    let cos_t = sqrt((1.0 - e1) / (1.0 + (a * a - 1.0) * e1));
    let sin_t = sqrt(max(1.0 - cos_t * cos_t, 0.0));
    let h = vec3<f32>(sin_t * cos(phi), sin_t * sin(phi), cos_t);
    let l = 2.0 * dot(v, h) * h - v;
    let nl = l.z;
    let nh = h.z;
    let vh = max(dot(v, h), 0.0);
    if (nl > 0.0) {
      let a2 = a * a;
      let vis = 0.5 / (nl * sqrt(nv * nv * (1.0 - a2) + a2) + nv * sqrt(nl * nl * (1.0 - a2) + a2));
      // pdf(l) = D·n·h / (4 v·h), so f·n·l / pdf = V·4·n·l·v·h / n·h (D cancels).
      let g = vis * 4.0 * nl * vh / nh;
      let fc = pow(1.0 - vh, 5.0);
      sa += (1.0 - fc) * g;
      sb += fc * g;
    }
  }
  lut[gid.y * u.size + gid.x] = vec4<f32>(sa / f32(u.samples), sb / f32(u.samples), 0.0, 0.0);
}
