// PatchMatch: the image in 8-bit levels (round half up), the working image of the matching.

//@include flat-index

struct Params {
  count: u32,
}

@group(0) @binding(0) var<storage, read> image: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> levels_out: array<vec4<f32>>;
@group(0) @binding(2) var<uniform> u: Params;

@compute @workgroup_size(FLAT_WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) grid: vec3<u32>) {
  let i = flat_index(gid, grid);
  if (i >= u.count) { return; }
  levels_out[i] = floor(clamp(image[i], vec4<f32>(0.0), vec4<f32>(1.0)) * 255.0 + 0.5);
}
