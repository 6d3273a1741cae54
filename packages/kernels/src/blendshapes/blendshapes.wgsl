// Linear blend shapes: out = neutral + Σ_m weights[m] · basis[m], all rows in one pass. Rows (the
// flattened x, y, z of every vertex) are stored as vec4 groups, so each invocation owns one vec4 of
// output and reads one aligned vec4 per mode; neighbouring invocations read neighbouring vec4s of the
// same mode row (coalesced). Modes are taken four at a time against one vec4 of weights.

//@include flat-index

struct Params {
  rows4: u32,       // vec4 groups per row (ceil(rows / 4))
  modes: u32,
  tail_lanes: u32,  // valid lanes of the last vec4 (1..4); the rest are written as zero
}

@group(0) @binding(0) var<storage, read> neutral: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> basis: array<vec4<f32>>;    // [modes][rows4]
@group(0) @binding(2) var<storage, read> weights: array<vec4<f32>>;  // [ceil(modes / 4)]
@group(0) @binding(3) var<storage, read_write> dst: array<vec4<f32>>;
@group(0) @binding(4) var<uniform> u: Params;

@compute @workgroup_size(FLAT_WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) grid: vec3<u32>) {
  let i = flat_index(gid, grid);
  if (i >= u.rows4) { return; }
  let n = u.rows4;
  var acc = neutral[i];
  let groups = u.modes / 4u;
  var base = i;
  for (var g = 0u; g < groups; g++) {
    let w = weights[g];
    acc = fma(basis[base], vec4<f32>(w.x), acc);
    acc = fma(basis[base + n], vec4<f32>(w.y), acc);
    acc = fma(basis[base + 2u * n], vec4<f32>(w.z), acc);
    acc = fma(basis[base + 3u * n], vec4<f32>(w.w), acc);
    base += 4u * n;
  }
  for (var m = groups * 4u; m < u.modes; m++) {
    acc = fma(basis[base], vec4<f32>(weights[m / 4u][m % 4u]), acc);
    base += n;
  }
  if (i == n - 1u) {
    // Pad lanes must stay zero even when a weight is not finite (0 · inf would be NaN).
    acc = select(vec4<f32>(0.0), acc, vec4<u32>(0u, 1u, 2u, 3u) < vec4<u32>(u.tail_lanes));
  }
  dst[i] = acc;
}
