// Per-pixel attribute interpolation from a resolved raster (nvdiffrast's interpolate): one invocation
// per output vec4, attribute = u·a[i0] + v·a[i1] + (1 − u − v)·a[i2] of the pixel's triangle; empty
// pixels (id 0) get zeros, as do the padding lanes (they are zero in the attributes already).

//@include flat-index

struct Params {
  c4: u32,
  count: u32,
}

@group(0) @binding(0) var<storage, read> rast: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> tris: array<u32>;
@group(0) @binding(2) var<storage, read> attr: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read_write> dst: array<vec4<f32>>;
@group(0) @binding(4) var<uniform> u: Params;

@compute @workgroup_size(FLAT_WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) grid: vec3<u32>) {
  let i = flat_index(gid, grid);
  if (i >= u.count) { return; }
  let g = i % u.c4;
  let r = rast[i / u.c4];
  if (r.w == 0.0) {
    dst[i] = vec4<f32>(0.0);
    return;
  }
  let t = u32(r.w) - 1u;
  let a0 = attr[tris[3u * t] * u.c4 + g];
  let a1 = attr[tris[3u * t + 1u] * u.c4 + g];
  let a2 = attr[tris[3u * t + 2u] * u.c4 + g];
  dst[i] = r.x * a0 + r.y * a1 + (1.0 - r.x - r.y) * a2;
}
