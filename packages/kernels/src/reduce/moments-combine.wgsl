// Pass 2 of moments: workgroup sg merges the `chunks` partial summaries of one (sample, channel group)
// with Chan et al.'s formula and writes the mean and the biased variance (M2 / count). Pad lanes have
// zero mean and zero M2, so they stay zero.

const WG: u32 = 64u;

struct Params {
  chunks: u32,
}

struct Moments {
  mean: vec4<f32>,
  m2: vec4<f32>,
  n: vec4<f32>,
}

@group(0) @binding(0) var<storage, read> partials: array<Moments>;
@group(0) @binding(1) var<storage, read_write> mean: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> variance: array<vec4<f32>>;
@group(0) @binding(3) var<uniform> u: Params;

var<workgroup> shared_m: array<Moments, WG>;

fn merge(a: Moments, b: Moments) -> Moments {
  if (b.n.x == 0.0) { return a; }
  if (a.n.x == 0.0) { return b; }
  let n = a.n + b.n;
  let d = b.mean - a.mean;
  let f = b.n / n;
  return Moments(a.mean + d * f, a.m2 + b.m2 + d * d * a.n * f, n);
}

@compute @workgroup_size(64, 1, 1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) t: u32) {
  let sg = wid.x;
  var m = Moments(vec4<f32>(0.0), vec4<f32>(0.0), vec4<f32>(0.0));
  for (var k = t; k < u.chunks; k += WG) {
    m = merge(m, partials[sg * u.chunks + k]);
  }
  shared_m[t] = m;
  workgroupBarrier();
  for (var stride = WG / 2u; stride > 0u; stride /= 2u) {
    if (t < stride) { shared_m[t] = merge(shared_m[t], shared_m[t + stride]); }
    workgroupBarrier();
  }
  if (t == 0u) {
    mean[sg] = shared_m[0].mean;
    variance[sg] = shared_m[0].m2 / shared_m[0].n;
  }
}
