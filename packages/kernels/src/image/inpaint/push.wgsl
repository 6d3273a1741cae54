// Push-pull inpainting, push step: level k → k+1 (half size, rounded up). Each coarse pixel takes the
// mean of its (up to 2×2) children weighted by their weights; its weight is the sum of theirs, i.e.
// the number of known full-resolution pixels under it. At level 0 (binary_mask = 1) the weight is the
// mask thresholded at 0.5, so a coarse colour is the exact mean of the known pixels it covers.

//@include flat-index
//@include nhwc
//@include pyramid

@group(0) @binding(0) var<storage, read> colour_in: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> weight_in: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> colour_out: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read_write> weight_out: array<vec4<f32>>;
@group(0) @binding(4) var<uniform> u: Params;

@compute @workgroup_size(FLAT_WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) grid: vec3<u32>) {
  let i = flat_index(gid, grid);
  if (i >= u.count) { return; }
  let o = nhwc_decode(i, u.coarse_h, u.coarse_w, u.c4);
  var sum = vec4<f32>(0.0);
  var wsum = 0.0;
  for (var k = 0u; k < 4u; k++) {
    let child = pyramid_child(o.n, o.y, o.x, k);
    if (!child.inside) { continue; }
    var w = weight_in[child.pixel].x;
    if (u.binary_mask == 1u) { w = select(0.0, 1.0, w > 0.5); }
    sum += w * colour_in[child.pixel * u.c4 + o.g];
    wsum += w;
  }
  colour_out[i] = select(vec4<f32>(0.0), sum / wsum, wsum > 0.0);
  if (o.g == 0u) {
    weight_out[coarse_pixel(o.n, o.y, o.x)] = vec4<f32>(wsum, 0.0, 0.0, 0.0);
  }
}
