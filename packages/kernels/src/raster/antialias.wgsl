// Antialias forward (nvdiffrast's antialias): one invocation per pixel gathers what its four pairs
// (left, right, up, down; antialias-common.wgsl) blend into it, so no two invocations write one pixel.

//@include flat-index
//@include antialias-common

@group(0) @binding(5) var<storage, read_write> dst: array<vec4<f32>>;

@compute @workgroup_size(FLAT_WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) grid: vec3<u32>) {
  let pix = flat_index(gid, grid);
  if (pix >= u.pixel_count) { return; }
  // Blend weight towards each neighbour (left, right, up, down).
  var wts = vec4<f32>(0.0);
  var nbr = vec4<u32>(pix);
  for (var k = 0u; k < 4u; k++) {
    let pair = neighbour_pair(pix, k);
    if (!pair.valid) { continue; }
    let p = pair.p;
    let q = pair.q;
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
