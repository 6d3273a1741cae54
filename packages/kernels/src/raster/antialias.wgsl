// Antialias forward (nvdiffrast's antialias): one invocation per pixel gathers what its four pairs
// (left, right, up, down; antialias-common.wgsl) blend into it, so no two invocations write one pixel.

//@include flat-index

struct Params {
  width: u32,
  height: u32,
  c4: u32,
  pixel_count: u32,
}

@group(0) @binding(0) var<storage, read> pos: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> tris: array<u32>;
@group(0) @binding(2) var<storage, read> rast: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read> color: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read_write> dst: array<vec4<f32>>;
@group(0) @binding(5) var<uniform> u: Params;

//@include raster-common
//@include antialias-common

@compute @workgroup_size(FLAT_WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) grid: vec3<u32>) {
  let pix = flat_index(gid, grid);
  if (pix >= u.pixel_count) { return; }
  let x = pix % u.width;
  let y = pix / u.width;
  // Blend weight towards each neighbour (left, right, up, down).
  var wts = vec4<f32>(0.0);
  var nbr = vec4<u32>(pix);
  for (var k = 0u; k < 4u; k++) {
    var p = pix;
    var q = pix;
    if (k == 0u) { if (x == 0u) { continue; } p = pix - 1u; }
    if (k == 1u) { if (x + 1u >= u.width) { continue; } q = pix + 1u; }
    if (k == 2u) { if (y == 0u) { continue; } p = pix - u.width; }
    if (k == 3u) { if (y + 1u >= u.height) { continue; } q = pix + u.width; }
    let r = aa_pair(p, q, k < 2u);
    if (!r.valid || aa_target(r) != pix) { continue; }
    wts[k] = aa_amount(r);
    nbr[k] = select(p, q, p == pix);
  }
  for (var g = 0u; g < u.c4; g++) {
    let c = color[pix * u.c4 + g];
    var out = c;
    for (var k = 0u; k < 4u; k++) {
      if (wts[k] != 0.0) { out += wts[k] * (color[nbr[k] * u.c4 + g] - c); }
    }
    dst[pix * u.c4 + g] = out;
  }
}
