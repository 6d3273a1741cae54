// Poisson blend, result: guide + correction on the unknown texels (label 2), the target elsewhere.

//@include flat-index
//@include nhwc

struct Params {
  h: u32,
  w: u32,
  c4: u32,
  count: u32,
}

@group(0) @binding(0) var<storage, read> target_image: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> guide: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> label: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read> d: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read_write> result: array<vec4<f32>>;
@group(0) @binding(5) var<uniform> u: Params;

@compute @workgroup_size(FLAT_WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) grid: vec3<u32>) {
  let i = flat_index(gid, grid);
  if (i >= u.count) { return; }
  let o = nhwc_decode(i, u.h, u.w, u.c4);
  let unknown = label[nhwc_index(o.n, o.y, o.x, 0u, u.h, u.w, 1u)].x == 2.0;
  result[i] = select(target_image[i], guide[i] + d[i], unknown);
}
