// One Adam step (Kingma & Ba) over a flat parameter vector, in place: m and v are the running first
// and second moments, bc1 = 1 − β1^t and bc2 = 1 − β2^t their bias corrections (computed once per
// step on the CPU). Each parameter has its own learning rate (lr), so one optimiser serves parameter
// groups of different scales (pose in radians, identity weights, albedo texels).

//@include flat-index

struct Params {
  count: u32,
  beta1: f32,
  beta2: f32,
  eps: f32,
  bc1: f32,
  bc2: f32,
}

@group(0) @binding(0) var<storage, read_write> param: array<f32>;
@group(0) @binding(1) var<storage, read> grad: array<f32>;
@group(0) @binding(2) var<storage, read_write> m: array<f32>;
@group(0) @binding(3) var<storage, read_write> v: array<f32>;
@group(0) @binding(4) var<storage, read> lr: array<f32>;
@group(0) @binding(5) var<uniform> u: Params;

@compute @workgroup_size(FLAT_WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) grid: vec3<u32>) {
  let i = flat_index(gid, grid);
  if (i >= u.count) { return; }
  let g = grad[i];
  let mi = u.beta1 * m[i] + (1.0 - u.beta1) * g;
  let vi = u.beta2 * v[i] + (1.0 - u.beta2) * g * g;
  m[i] = mi;
  v[i] = vi;
  param[i] -= lr[i] * (mi / u.bc1) / (sqrt(vi / u.bc2) + u.eps);
}
