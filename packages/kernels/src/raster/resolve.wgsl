// Resolve pass: per pixel, the winning triangle's perspective-correct barycentrics, nvdiffrast's
// layout: (u, v, z/w, id + 1) with attribute = u·a0 + v·a1 + (1 − u − v)·a2; all zero when empty.

//@include flat-index

struct Params {
  width: u32,
  height: u32,
  id_mask: u32,
  pixel_count: u32,
}

@group(0) @binding(0) var<storage, read> pos: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> tris: array<u32>;
@group(0) @binding(2) var<storage, read> keys: array<u32>;
@group(0) @binding(3) var<storage, read_write> rast: array<vec4<f32>>;
@group(0) @binding(4) var<uniform> u: Params;

//@include raster-common

@compute @workgroup_size(FLAT_WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) grid: vec3<u32>) {
  let pix = flat_index(gid, grid);
  if (pix >= u.pixel_count) { return; }
  let key = ~keys[pix];
  if (key == 0xffffffffu) {
    rast[pix] = vec4<f32>(0.0);
    return;
  }
  let t = key & u.id_mask;
  let size = vec2<f32>(f32(u.width), f32(u.height));
  let r = screen_triangle(t, size);
  let p = vec2<f32>(f32(pix % u.width) + 0.5, f32(pix / u.width) + 0.5);
  // The same edge functions as the raster pass, without the inside test: this pixel was covered.
  let e = vec3<f32>(edge_value(r, 0u, p), edge_value(r, 1u, p), edge_value(r, 2u, p)) * r.sign;
  let lambda = e / (e.x + e.y + e.z);
  let z = dot(lambda, r.z);
  let pw = lambda * r.inv_w;
  let b = pw / (pw.x + pw.y + pw.z);
  rast[pix] = vec4<f32>(b.x, b.y, z, f32(t + 1u));
}
