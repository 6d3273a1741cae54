// Poisson blend, restriction: level k → k+1 (half size, rounded up) of the label map and of the
// correction d on the Dirichlet texels. A coarse texel is Dirichlet (1) when any of its children is,
// with d the mean of those children's d; else unknown (2) when any child is; else outside (0, d = 0).

//@include flat-index
//@include nhwc
//@include pyramid

@group(0) @binding(0) var<storage, read> d_in: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> label_in: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> d_out: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read_write> label_out: array<vec4<f32>>;
@group(0) @binding(4) var<uniform> u: Params;

@compute @workgroup_size(FLAT_WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) grid: vec3<u32>) {
  let i = flat_index(gid, grid);
  if (i >= u.count) { return; }
  let o = nhwc_decode(i, u.coarse_h, u.coarse_w, u.c4);
  var sum = vec4<f32>(0.0);
  var known = 0.0;
  var unknown = false;
  for (var k = 0u; k < 4u; k++) {
    let child = pyramid_child(o.n, o.y, o.x, k);
    if (!child.inside) { continue; }
    let l = label_in[child.pixel].x;
    if (l == 1.0) {
      sum += d_in[child.pixel * u.c4 + o.g];
      known += 1.0;
    } else if (l == 2.0) {
      unknown = true;
    }
  }
  d_out[i] = select(vec4<f32>(0.0), sum / known, known > 0.0);
  if (o.g == 0u) {
    let l = select(select(0.0, 2.0, unknown), 1.0, known > 0.0);
    label_out[coarse_pixel(o.n, o.y, o.x)] = vec4<f32>(l, 0.0, 0.0, 0.0);
  }
}
