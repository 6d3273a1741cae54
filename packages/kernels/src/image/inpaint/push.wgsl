// Push-pull inpainting, push step: level k → k+1 (half size, rounded up). Each coarse pixel takes the
// mean of its (up to 2×2) children weighted by their weights; its weight is the sum of theirs, i.e.
// the number of known full-resolution pixels under it. At level 0 (binary_mask = 1) the weight is the
// mask thresholded at 0.5, so a coarse colour is the exact mean of the known pixels it covers.

struct Params {
  in_h: u32,
  in_w: u32,
  out_h: u32,
  out_w: u32,
  c4: u32,
  count: u32,
  row_stride: u32,
  binary_mask: u32,
}

@group(0) @binding(0) var<storage, read> colour_in: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> weight_in: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> colour_out: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read_write> weight_out: array<vec4<f32>>;
@group(0) @binding(4) var<uniform> u: Params;

@compute @workgroup_size(64, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x + gid.y * u.row_stride;
  if (i >= u.count) { return; }
  let c = i % u.c4;
  let x = (i / u.c4) % u.out_w;
  let y = (i / (u.c4 * u.out_w)) % u.out_h;
  let n = i / (u.c4 * u.out_w * u.out_h);
  var sum = vec4<f32>(0.0);
  var wsum = 0.0;
  for (var dy = 0u; dy < 2u; dy++) {
    for (var dx = 0u; dx < 2u; dx++) {
      let sy = 2u * y + dy;
      let sx = 2u * x + dx;
      if (sy < u.in_h && sx < u.in_w) {
        let p = (n * u.in_h + sy) * u.in_w + sx;
        var w = weight_in[p].x;
        if (u.binary_mask == 1u) { w = select(0.0, 1.0, w > 0.5); }
        sum += w * colour_in[p * u.c4 + c];
        wsum += w;
      }
    }
  }
  colour_out[i] = select(vec4<f32>(0.0), sum / wsum, wsum > 0.0);
  if (c == 0u) {
    weight_out[(n * u.out_h + y) * u.out_w + x] = vec4<f32>(wsum, 0.0, 0.0, 0.0);
  }
}
