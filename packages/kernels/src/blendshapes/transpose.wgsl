// Transpose product of the blendshapes: out[m] = Σ_r basis[m][r] · g[r], the gradient of a loss with
// respect to the mode weights given its gradient g with respect to the vertex rows. One workgroup per
// mode: 64 invocations stride over the mode's row vec4s (coalesced) and a tree in workgroup memory
// sums their partial dot products.

struct Params {
  rows4: u32,
  modes: u32,
}

@group(0) @binding(0) var<storage, read> basis: array<vec4<f32>>;  // [modes][rows4]
@group(0) @binding(1) var<storage, read> grad: array<vec4<f32>>;   // [rows4]
@group(0) @binding(2) var<storage, read_write> dst: array<f32>;    // [modes], padded to vec4
@group(0) @binding(3) var<uniform> u: Params;

const WG: u32 = 64u;
var<workgroup> partial: array<f32, 64>;

@compute @workgroup_size(64)
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let m = wid.x + wid.y * 65535u;
  var s = 0.0;
  if (m < u.modes) {
    let base = m * u.rows4;
    for (var i = lid.x; i < u.rows4; i += WG) {
      s += dot(basis[base + i], grad[i]);
    }
  }
  partial[lid.x] = s;
  workgroupBarrier();
  for (var k = WG / 2u; k > 0u; k >>= 1u) {
    if (lid.x < k) { partial[lid.x] += partial[lid.x + k]; }
    workgroupBarrier();
  }
  if (lid.x == 0u && m < u.modes) { dst[m] = partial[0]; }
}
