// Pass 2 of moments: workgroup sg merges the `chunks` partial summaries of one (sample, channel group)
// with Chan et al.'s formula (welford.wgsl) and writes the mean and the biased variance (M2 / count).
// Pad lanes have zero mean and zero M2, so they stay zero.

//@include welford

struct Params {
  chunks: u32,
}

@group(0) @binding(0) var<storage, read> partials: array<Moments>;
@group(0) @binding(1) var<storage, read_write> mean: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> variance: array<vec4<f32>>;
@group(0) @binding(3) var<uniform> u: Params;

@compute @workgroup_size(WELFORD_WORKGROUP_SIZE)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) t: u32) {
  let sg = wid.x;
  var m = moments_empty();
  for (var k = t; k < u.chunks; k += WELFORD_WORKGROUP_SIZE) {
    m = moments_merge(m, partials[sg * u.chunks + k]);
  }
  let total = merge_workgroup(t, m);
  if (t == 0u) {
    mean[sg] = total.mean;
    variance[sg] = total.m2 / total.n;
  }
}
