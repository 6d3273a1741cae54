// One level of an equirectangular map's mip chain, for filtered importance sampling (prefilter.wgsl):
// each texel of level k is the solid-angle-weighted mean of the level k − 1 texels it covers (the
// texels whose centres fall in its cell; weights cos(latitude) of their rows, so the rows near the
// poles, which cover less of the sphere, count for less). All levels live in one buffer, level 0 first.

struct Params {
  src_off: u32,
  src_h: u32,
  src_w: u32,
  dst_off: u32,
  dst_h: u32,
  dst_w: u32,
}

@group(0) @binding(0) var<storage, read_write> mips: array<vec4<f32>>; // Σ_k H_k·W_k texels
@group(0) @binding(1) var<uniform> u: Params;

const PI = 3.14159265358979;

@compute @workgroup_size(8, 8, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  if (gid.x >= u.dst_w || gid.y >= u.dst_h) { return; }
  // Source texels with centres in [y, y + 1) · src_h / dst_h (at least one).
  let y0 = (gid.y * u.src_h) / u.dst_h;
  let y1 = max(((gid.y + 1u) * u.src_h + u.dst_h - 1u) / u.dst_h, y0 + 1u);
  let x0 = (gid.x * u.src_w) / u.dst_w;
  let x1 = max(((gid.x + 1u) * u.src_w + u.dst_w - 1u) / u.dst_w, x0 + 1u);
  var acc = vec3<f32>(0.0);
  var wsum = 0.0;
  for (var y = y0; y < y1; y++) {
    let w = cos(PI * (0.5 - (f32(y) + 0.5) / f32(u.src_h)));
    for (var x = x0; x < x1; x++) {
      acc += mips[u.src_off + y * u.src_w + x].rgb * w;
      wsum += w;
    }
  }
  mips[u.dst_off + gid.y * u.dst_w + gid.x] = vec4<f32>(acc / wsum, 1.0);
}
