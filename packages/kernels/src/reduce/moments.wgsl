// Pass 1 of per-(sample, channel) mean and variance over H×W. Workgroup (chunk, sample·c4 + group)
// summarises one chunk of pixels of one channel group as (count, mean, M2): every invocation runs
// Welford's update over a strided subset, then the workgroup merges its 64 summaries with Chan et al.'s
// pairwise formula. Unlike sums of x and x², this stays accurate in f32 when the mean is large compared
// with the spread (images around 100 ± 1), and per-chunk partials keep each sum short for big images.

const WG: u32 = 64u;

struct Params {
  hw: u32,
  c4: u32,
  per_chunk: u32, // pixels per chunk
  chunks: u32,
}

struct Moments {
  mean: vec4<f32>,
  m2: vec4<f32>,
  n: vec4<f32>, // the count, in every lane
}

@group(0) @binding(0) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> partials: array<Moments>;
@group(0) @binding(2) var<uniform> u: Params;

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
  let sg = wid.y;
  let base = (sg / u.c4) * u.hw * u.c4 + sg % u.c4;
  let start = wid.x * u.per_chunk;
  let end = min(start + u.per_chunk, u.hw);
  var m = Moments(vec4<f32>(0.0), vec4<f32>(0.0), vec4<f32>(0.0));
  for (var p = start + t; p < end; p += WG) {
    let v = x[base + p * u.c4];
    m.n += 1.0;
    let d = v - m.mean;
    m.mean += d / m.n;
    m.m2 += d * (v - m.mean);
  }
  shared_m[t] = m;
  workgroupBarrier();
  for (var stride = WG / 2u; stride > 0u; stride /= 2u) {
    if (t < stride) { shared_m[t] = merge(shared_m[t], shared_m[t + stride]); }
    workgroupBarrier();
  }
  if (t == 0u) { partials[sg * u.chunks + wid.x] = shared_m[0]; }
}
