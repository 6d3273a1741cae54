// One pass of the separable screen-space subsurface blur (Jimenez et al., "Separable Subsurface
// Scattering", 2015) along x (axis 0) or y (axis 1). Pixels hold (radiance rgb, view depth in mm);
// depth 0 marks a pixel without surface, which neither scatters nor receives.
// The profile is a Gaussian of σ = width_mm on the surface. Its width in pixels follows each pixel's
// own depth (σ_px = width_mm · focal / depth), so the look does not depend on the image size or
// the distance. A tap o pixels away lies o · depth / focal mm across and Δz mm deeper; it is weighted
// by the profile at that 3-D distance, exp(−(o² / σ_px² + Δz² / width_mm²) / 2): across a depth
// discontinuity (the nose over the cheek, the ear over what lies behind it) Δz is many σ and the
// tap drops out, instead of bleeding light across the edge. Weights are normalised by their sum.
// Up to max_taps taps each side; a wider kernel spaces them `stride` pixels apart.

//@include flat-index

struct Params {
  h: u32,
  w: u32,
  count: u32,        // n · h · w pixels
  axis: u32,         // 0: along x, 1: along y
  width_mm: f32,
  focal: f32,        // pixels per unit of (lateral distance / depth) along this axis
  max_taps: u32,
  pad0: u32,
}

@group(0) @binding(0) var<storage, read> src: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> dst: array<vec4<f32>>;
@group(0) @binding(2) var<uniform> u: Params;

@compute @workgroup_size(FLAT_WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) grid: vec3<u32>) {
  let i = flat_index(gid, grid);
  if (i >= u.count) { return; }
  let centre = src[i];
  let depth = centre.w;
  if (depth <= 0.0) {
    dst[i] = centre;
    return;
  }
  let x = i % u.w;
  let y = (i / u.w) % u.h;
  let along = i32(select(x, y, u.axis == 1u));
  let len = i32(select(u.w, u.h, u.axis == 1u));
  let step = i32(select(1u, u.w, u.axis == 1u));
  let sigma_px = u.width_mm * u.focal / depth;
  let reach = 3.0 * sigma_px;
  let stride = max(1, i32(ceil(reach / f32(u.max_taps))));
  let taps = i32(ceil(reach / f32(stride)));
  let inv_two_sigma_px2 = 0.5 / (sigma_px * sigma_px);
  let inv_two_width2 = 0.5 / (u.width_mm * u.width_mm);
  var acc = centre.rgb;
  var wsum = 1.0;
  for (var k = 1; k <= taps; k++) {
    let o = k * stride;
    for (var s = -1; s <= 1; s += 2) {
      let p = along + s * o;
      if (p < 0 || p >= len) { continue; }
      let tap = src[i32(i) + s * o * step];
      if (tap.w <= 0.0) { continue; }
      let dz = tap.w - depth;
      let wk = exp(-f32(o * o) * inv_two_sigma_px2 - dz * dz * inv_two_width2);
      acc += wk * tap.rgb;
      wsum += wk;
    }
  }
  dst[i] = vec4<f32>(acc / wsum, depth);
}
