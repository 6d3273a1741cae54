// Rasterisation pass: one invocation per triangle walks the pixel centres of its bounding box (clipped
// to the image) and keeps the nearest fragment per pixel with one 32-bit atomic.
//
// Packed mode (TWO_PASS = 0): key = quantised depth << ID_BITS | triangle id. The buffer holds the
// bitwise complement of the key and is updated with atomicMax, which is atomicMin of the key, so a
// zero-cleared buffer means "empty". Equal quantised depths resolve to the smaller id.
// Two-pass mode (TWO_PASS = 1, for meshes whose ids leave too few depth bits): PASS 0 keeps the
// nearest 24-bit depth, PASS 1 keeps the smallest id among the fragments at exactly that depth.

//@include flat-index

struct Params {
  width: u32,
  height: u32,
  tri_count: u32,
  id_bits: u32,
  depth_levels: f32,
  pass_index: u32,
}

@group(0) @binding(0) var<storage, read> pos: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> tris: array<u32>;
@group(0) @binding(2) var<storage, read_write> zbuf: array<atomic<u32>>;
//@for i in 0..TWO_PASS
@group(0) @binding(3) var<storage, read_write> idbuf: array<atomic<u32>>;
//@end
@group(0) @binding(4) var<uniform> u: Params;

//@include raster-common

fn quantise(z: f32) -> u32 {
  return u32(clamp(z * 0.5 + 0.5, 0.0, 1.0) * u.depth_levels + 0.5);
}

@compute @workgroup_size(FLAT_WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) grid: vec3<u32>) {
  let t = flat_index(gid, grid);
  if (t >= u.tri_count) { return; }
  let size = vec2<f32>(f32(u.width), f32(u.height));
  let r = screen_triangle(t, size);
  if (!r.valid) { return; }
  let lo = min(min(r.s0, r.s1), r.s2);
  let hi = max(max(r.s0, r.s1), r.s2);
  // Pixel centres px + 0.5 inside [lo, hi], clipped to the image.
  let x0 = i32(max(ceil(lo.x - 0.5), 0.0));
  let y0 = i32(max(ceil(lo.y - 0.5), 0.0));
  let x1 = i32(min(floor(hi.x - 0.5), size.x - 1.0));
  let y1 = i32(min(floor(hi.y - 0.5), size.y - 1.0));
  for (var py = y0; py <= y1; py++) {
    for (var px = x0; px <= x1; px++) {
      let b = coverage(r, vec2<f32>(f32(px) + 0.5, f32(py) + 0.5));
      if (b.x < 0.0) { continue; }
      let z = b.x * r.z.x + b.y * r.z.y + b.z * r.z.z;
      if (z < -1.0 || z > 1.0) { continue; }
      let pix = u32(py) * u.width + u32(px);
      let dq = quantise(z);
      if ({{TWO_PASS}} == 0) {
        atomicMax(&zbuf[pix], ~((dq << u.id_bits) | t));
      } else if (u.pass_index == 0u) {
        atomicMax(&zbuf[pix], ~dq);
      } else if (~atomicLoad(&zbuf[pix]) == dq) {
        //@for i in 0..TWO_PASS
        atomicMax(&idbuf[pix], ~t);
        //@end
      }
    }
  }
}
