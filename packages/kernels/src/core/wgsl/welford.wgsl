// welford: per-lane (count, mean, M2) summaries of a stream of vec4s. Welford's update adds one value;
// Chan et al.'s pairwise formula merges two summaries. Unlike sums of x and x², this stays accurate in
// f32 when the mean is large compared with the spread (images around 100 ± 1). No workgroup memory
// here: on SwiftShader a shader with any (its zero-fill brings a barrier) took ~0.35 s to compile
// against ~0.03 s without, so the merges run in storage buffers (moments-combine.wgsl).

const WELFORD_WORKGROUP_SIZE: u32 = 64u;

struct Moments {
  mean: vec4<f32>,
  m2: vec4<f32>,
  n: vec4<f32>, // the count, in every lane
}

fn moments_empty() -> Moments {
  return Moments(vec4<f32>(0.0), vec4<f32>(0.0), vec4<f32>(0.0));
}

/** Welford's update: the summary with one more value v. */
fn moments_add(m: Moments, v: vec4<f32>) -> Moments {
  var r = m;
  r.n += 1.0;
  let d = v - r.mean;
  r.mean += d / r.n;
  r.m2 += d * (v - r.mean);
  return r;
}

/** Chan et al.'s merge of two summaries. */
fn moments_merge(a: Moments, b: Moments) -> Moments {
  if (b.n.x == 0.0) { return a; }
  if (a.n.x == 0.0) { return b; }
  let n = a.n + b.n;
  let d = b.mean - a.mean;
  let f = b.n / n;
  return Moments(a.mean + d * f, a.m2 + b.m2 + d * d * a.n * f, n);
}
