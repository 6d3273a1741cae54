// Adjoint of interpolate: one invocation per pixel. For out = u·a0 + v·a1 + (1 − u − v)·a2,
// ∂L/∂a_k += b_k · ∂L/∂out (scattered into the three vertices with atomic_add), and per pixel
// ∂L/∂u = ⟨∂L/∂out, a0 − a2⟩, ∂L/∂v = ⟨∂L/∂out, a1 − a2⟩ (lanes x, y of grad_rast; z, w zero).

//@include flat-index

struct Params {
  c4: u32,
  pixel_count: u32,
}

@group(0) @binding(0) var<storage, read> rast: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> tris: array<u32>;
@group(0) @binding(2) var<storage, read> attr: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read> dy: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read_write> acc: array<atomic<u32>>;
@group(0) @binding(5) var<storage, read_write> grad_rast: array<vec4<f32>>;
@group(0) @binding(6) var<uniform> u: Params;

//@include atomic-add

@compute @workgroup_size(FLAT_WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) grid: vec3<u32>) {
  let pix = flat_index(gid, grid);
  if (pix >= u.pixel_count) { return; }
  let r = rast[pix];
  if (r.w == 0.0) {
    grad_rast[pix] = vec4<f32>(0.0);
    return;
  }
  let t = u32(r.w) - 1u;
  let i0 = tris[3u * t];
  let i1 = tris[3u * t + 1u];
  let i2 = tris[3u * t + 2u];
  let b2 = 1.0 - r.x - r.y;
  var du = 0.0;
  var dv = 0.0;
  for (var g = 0u; g < u.c4; g++) {
    let d = dy[pix * u.c4 + g];
    let a2 = attr[i2 * u.c4 + g];
    du += dot(d, attr[i0 * u.c4 + g] - a2);
    dv += dot(d, attr[i1 * u.c4 + g] - a2);
    atomic_add_vec4(i0 * u.c4 + g, r.x * d);
    atomic_add_vec4(i1 * u.c4 + g, r.y * d);
    atomic_add_vec4(i2 * u.c4 + g, b2 * d);
  }
  grad_rast[pix] = vec4<f32>(du, dv, 0.0, 0.0);
}
