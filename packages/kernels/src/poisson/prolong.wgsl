// Poisson blend, prolongation: the unknown texels (label 2) of level k start from the solved
// correction of their parent texel at level k+1 (a parent of an unknown texel is never outside).
// Dirichlet and outside texels keep their value; each invocation writes only its own texel.

//@include flat-index
//@include nhwc
//@include pyramid

@group(0) @binding(0) var<storage, read> coarse: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> label: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> d: array<vec4<f32>>;
@group(0) @binding(3) var<uniform> u: Params;

@compute @workgroup_size(FLAT_WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) grid: vec3<u32>) {
  let i = flat_index(gid, grid);
  if (i >= u.count) { return; }
  let o = nhwc_decode(i, u.fine_h, u.fine_w, u.c4);
  if (label[fine_pixel(o.n, o.y, o.x)].x != 2.0) { return; }
  d[i] = coarse[coarse_index(o.n, o.y / 2u, o.x / 2u, o.g)];
}
