// Projection of an equirectangular radiance map onto the first nine real spherical harmonics
// (bands 0–2), pass 1: one invocation per image row sums L(ω)·Y_k(ω)·dΩ over the row's pixels.
// dΩ of a pixel = (2π / W)·(π / H)·cos(latitude). Directions follow three.js's equirect mapping:
// u = atan2(z, x) / 2π + 0.5, row 0 = up (v from the top = 0.5 − asin(y) / π).

struct Params {
  h: u32,
  w: u32,
}

@group(0) @binding(0) var<storage, read> env: array<vec4<f32>>;        // [1, H, W, 4] linear rgb
@group(0) @binding(1) var<storage, read_write> rows: array<vec4<f32>>; // [1, H, 9, 4]
@group(0) @binding(2) var<uniform> u: Params;

const PI = 3.14159265358979;

@compute @workgroup_size(64, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let y = gid.x;
  if (y >= u.h) { return; }
  let lat = PI * (0.5 - (f32(y) + 0.5) / f32(u.h));
  let cos_lat = cos(lat);
  let dy = sin(lat);
  let d_omega = (2.0 * PI / f32(u.w)) * (PI / f32(u.h)) * cos_lat;
  var acc: array<vec3<f32>, 9>;
  for (var k = 0u; k < 9u; k++) { acc[k] = vec3<f32>(0.0); }
  for (var x = 0u; x < u.w; x++) {
    let phi = 2.0 * PI * ((f32(x) + 0.5) / f32(u.w) - 0.5);
    let dx = cos(phi) * cos_lat;
    let dz = sin(phi) * cos_lat;
    let l = env[y * u.w + x].rgb * d_omega;
    acc[0] += l * 0.282095;
    acc[1] += l * (0.488603 * dy);
    acc[2] += l * (0.488603 * dz);
    acc[3] += l * (0.488603 * dx);
    acc[4] += l * (1.092548 * dx * dy);
    acc[5] += l * (1.092548 * dy * dz);
    acc[6] += l * (0.315392 * (3.0 * dz * dz - 1.0));
    acc[7] += l * (1.092548 * dx * dz);
    acc[8] += l * (0.546274 * (dx * dx - dy * dy));
  }
  for (var k = 0u; k < 9u; k++) { rows[y * 9u + k] = vec4<f32>(acc[k], 0.0); }
}
