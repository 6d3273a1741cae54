// welford: per-lane (count, mean, M2) summaries of a stream of vec4s. Welford's update adds one value;
// Chan et al.'s pairwise formula merges two summaries. Unlike sums of x and x², this stays accurate in
// f32 when the mean is large compared with the spread (images around 100 ± 1). merge_workgroup folds
// the summaries of a workgroup of WELFORD_WORKGROUP_SIZE invocations into one, as a tree of pairwise
// merges: the entry point declares @workgroup_size(WELFORD_WORKGROUP_SIZE) and calls it from uniform
// control flow (it holds workgroup barriers).

const WELFORD_WORKGROUP_SIZE: u32 = 64u;

struct Moments {
  mean: vec4<f32>,
  m2: vec4<f32>,
  n: vec4<f32>, // the count, in every lane
}

var<workgroup> welford_shared: array<Moments, WELFORD_WORKGROUP_SIZE>;

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

/** The merge of the summaries m of all invocations of the workgroup (t: local_invocation_index). */
fn merge_workgroup(t: u32, m: Moments) -> Moments {
  welford_shared[t] = m;
  workgroupBarrier();
  for (var stride = WELFORD_WORKGROUP_SIZE / 2u; stride > 0u; stride /= 2u) {
    if (t < stride) { welford_shared[t] = moments_merge(welford_shared[t], welford_shared[t + stride]); }
    workgroupBarrier();
  }
  return welford_shared[0];
}
